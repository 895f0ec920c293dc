/* metric: resolution_days_median */
WITH `rows_in` AS (
  SELECT
    `t`.`closed_at` AS `d`,
    DATEDIFF(MINUTE, DATE_TRUNC('MINUTE', `opened_at`), DATE_TRUNC('MINUTE', `closed_at`)) / CAST(1440.0 AS DOUBLE) AS `x`
  FROM `ds_complaints` AS `t`
  WHERE
    NOT `t`.`closed_at` IS NULL AND NOT `closed_at` IS NULL
), `ranked` AS (
  SELECT
    `c`.`period` AS `period`,
    `r`.`x` AS `x`,
    ROW_NUMBER() OVER (PARTITION BY `c`.`period` ORDER BY `r`.`x` NULLS LAST) AS `k`,
    COUNT(`r`.`x`) OVER (PARTITION BY `c`.`period`) AS `n_x`
  FROM (
    SELECT
      CAST(`p` AS DATE) AS `period`,
      CAST(`p` + INTERVAL '3' MONTH AS DATE) AS `period_end`
    FROM EXPLODE(
      SEQUENCE(
        DATE_TRUNC('QUARTER', (
          SELECT
            MIN(`d`)
          FROM `rows_in`
        )),
        (
          SELECT
            MAX(`d`)
          FROM `rows_in`
        ),
        INTERVAL '3' MONTH
      )
    ) AS `g`(`p`)
  ) AS `c`
  JOIN `rows_in` AS `r`
    ON `r`.`d` >= `c`.`period` AND `r`.`d` < `c`.`period_end`
)
SELECT
  `period`,
  (
    MAX(
      CASE
        WHEN `k` = CAST(FLOOR((
          `n_x` + 1
        ) / CAST(2.0 AS DOUBLE)) AS BIGINT)
        THEN `x`
      END
    ) + MAX(
      CASE
        WHEN `k` = CAST(CEIL((
          `n_x` + 1
        ) / CAST(2.0 AS DOUBLE)) AS BIGINT)
        THEN `x`
      END
    )
  ) / CAST(2.0 AS DOUBLE) AS `value`,
  MAX(`n_x`) AS `n`,
  CASE
    WHEN MAX(`n_x`) >= 6
    THEN MAX(
      CASE
        WHEN `k` = CAST(GREATEST(1, FLOOR(`n_x` / CAST(2.0 AS DOUBLE) - CAST(0.98 AS DOUBLE) * SQRT(`n_x`))) AS BIGINT)
        THEN `x`
      END
    )
  END AS `low`,
  CASE
    WHEN MAX(`n_x`) >= 6
    THEN MAX(
      CASE
        WHEN `k` = CAST(LEAST(`n_x`, CEIL(`n_x` / CAST(2.0 AS DOUBLE) + 1 + CAST(0.98 AS DOUBLE) * SQRT(`n_x`))) AS BIGINT)
        THEN `x`
      END
    )
  END AS `high`
FROM `ranked`
GROUP BY
  `period`
ORDER BY
  `period` NULLS LAST
