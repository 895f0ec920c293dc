/* metric: nps */
SELECT
  `period`,
  SUM(`promoters`) OVER (
    PARTITION BY YEAR(`period`)
    ORDER BY `period` NULLS LAST
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS `promoters`,
  SUM(`detractors`) OVER (
    PARTITION BY YEAR(`period`)
    ORDER BY `period` NULLS LAST
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS `detractors`,
  SUM(`n`) OVER (
    PARTITION BY YEAR(`period`)
    ORDER BY `period` NULLS LAST
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS `n`
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', `d`) AS DATE) AS `period`,
    SUM(`promoters`) AS `promoters`,
    SUM(`detractors`) AS `detractors`,
    SUM(`n`) AS `n`
  FROM (
    SELECT
      `t`.`responded_at` AS `d`,
      `t`.`nps__promoters` AS `promoters`,
      `t`.`nps__detractors` AS `detractors`,
      `t`.`nps__n` AS `n`
    FROM `rollup_responses` AS `t`
    WHERE
      NOT `t`.`responded_at` IS NULL
  ) AS `b`
  GROUP BY
    `period`
) AS `monthly`
ORDER BY
  `period` NULLS LAST
