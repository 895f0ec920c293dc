/* metric: resolved_within_sla_pct */
SELECT
  CAST(DATE_TRUNC('QUARTER', `d`) AS DATE) AS `period`,
  SUM(`successes`) AS `successes`,
  SUM(`n`) AS `n`
FROM (
  SELECT
    `t`.`closed_at` AS `d`,
    CASE
      WHEN DATEDIFF(MINUTE, DATE_TRUNC('MINUTE', `opened_at`), DATE_TRUNC('MINUTE', `closed_at`)) / CAST(1440.0 AS DOUBLE) <= CAST(10.0 AS DOUBLE)
      THEN 1
      ELSE 0
    END AS `successes`,
    1 AS `n`
  FROM `ds_complaints` AS `t`
  WHERE
    NOT `t`.`closed_at` IS NULL AND NOT `closed_at` IS NULL
) AS `b`
GROUP BY
  `period`
ORDER BY
  `period` NULLS LAST
