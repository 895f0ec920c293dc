"""Who sees and who changes what: roles as data, the caller's scope, and its enforcement in the store."""
