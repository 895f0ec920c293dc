/* metric: complaints_per_1000_customers */
SELECT
  `period`,
  SUM(`n`) AS `n`,
  SUM(`exposure`) AS `exposure`
FROM (
  SELECT
    CAST(DATE_TRUNC('QUARTER', `d`) AS DATE) AS `period`,
    `region`,
    `month`,
    SUM(`n`) AS `n`,
    ANY_VALUE(`customers`) IGNORE NULLS * COUNT(*) / ANY_VALUE(`month_days`) IGNORE NULLS AS `exposure`
  FROM (
    SELECT
      `g`.`day` AS `d`,
      `g`.`region` AS `region`,
      `g`.`month`,
      `g`.`customers`,
      `g`.`month_days`,
      COALESCE(`x`.`n`, 0) AS `n`
    FROM (
      SELECT
        CAST(`s`.`d` AS DATE) AS `day`,
        `c`.`region` AS `region`,
        `c`.`month` AS `month`,
        `c`.`customers` AS `customers`,
        DAY(LAST_DAY(`c`.`month`)) AS `month_days`
      FROM `ds_customers` AS `c`
      LATERAL VIEW
      EXPLODE(
        SEQUENCE(`c`.`month`, CAST(LAST_DAY(`c`.`month`) AS TIMESTAMP_NTZ), INTERVAL '1' DAY)
      ) s AS `d`
    ) AS `g`
    LEFT JOIN (
      SELECT
        CAST(`d` AS DATE) AS `day`,
        `region`,
        SUM(`n`) AS `n`
      FROM (
        SELECT
          `t`.`opened_at` AS `d`,
          `t`.`region` AS `region`,
          `t`.`complaints_per_1000_customers__n` AS `n`
        FROM `rollup_complaints` AS `t`
        WHERE
          NOT `t`.`opened_at` IS NULL
      ) AS `b`
      GROUP BY ALL
    ) AS `x`
      ON `x`.`day` = `g`.`day` AND `x`.`region` = `g`.`region`
    WHERE
      `g`.`day` >= (
        SELECT
          DATE_TRUNC('MONTH', MIN(`day`))
        FROM (
          SELECT
            CAST(`d` AS DATE) AS `day`,
            `region`,
            SUM(`n`) AS `n`
          FROM (
            SELECT
              `t`.`opened_at` AS `d`,
              `t`.`region` AS `region`,
              `t`.`complaints_per_1000_customers__n` AS `n`
            FROM `rollup_complaints` AS `t`
            WHERE
              NOT `t`.`opened_at` IS NULL
          ) AS `b`
          GROUP BY ALL
        ) AS `f0`
      )
      AND `g`.`day` <= (
        SELECT
          LAST_DAY(MAX(`day`))
        FROM (
          SELECT
            CAST(`d` AS DATE) AS `day`,
            `region`,
            SUM(`n`) AS `n`
          FROM (
            SELECT
              `t`.`opened_at` AS `d`,
              `t`.`region` AS `region`,
              `t`.`complaints_per_1000_customers__n` AS `n`
            FROM `rollup_complaints` AS `t`
            WHERE
              NOT `t`.`opened_at` IS NULL
          ) AS `b`
          GROUP BY ALL
        ) AS `f1`
      )
  ) AS `j`
  GROUP BY
    `period`,
    `region`,
    `month`
) AS `pm`
GROUP BY
  `period`
ORDER BY
  `period` NULLS LAST
