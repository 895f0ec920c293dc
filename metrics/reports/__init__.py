"""What people read: trajectories, league tables, comparisons, formatting, output and generated docs."""
