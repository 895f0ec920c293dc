/* metric: complaints_per_1000_customers */
SELECT
  `period`,
  SUM(`n`) OVER (
    PARTITION BY YEAR(`period`)
    ORDER BY `period` NULLS LAST
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS `n`,
  SUM(`exposure`) OVER (
    PARTITION BY YEAR(`period`)
    ORDER BY `period` NULLS LAST
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS `exposure`,
  SUM(`carried`) OVER (
    PARTITION BY YEAR(`period`)
    ORDER BY `period` NULLS LAST
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS `carried`
FROM (
  SELECT
    `period`,
    SUM(`n`) AS `n`,
    SUM(`exposure`) AS `exposure`,
    SUM(`carried`) AS `carried`
  FROM (
    SELECT
      CAST(DATE_TRUNC('MONTH', `d`) AS DATE) AS `period`,
      `region`,
      `month`,
      SUM(`n`) AS `n`,
      ANY_VALUE(`customers`) IGNORE NULLS * COUNT(*) / ANY_VALUE(`month_days`) IGNORE NULLS AS `exposure`,
      CASE
        WHEN BOOL_OR(`carried`)
        THEN ANY_VALUE(`customers`) IGNORE NULLS * COUNT(*) / ANY_VALUE(`month_days`) IGNORE NULLS
        ELSE 0
      END AS `carried`
    FROM (
      SELECT
        `g`.`day` AS `d`,
        `g`.`region` AS `region`,
        `g`.`month`,
        `g`.`customers`,
        `g`.`carried`,
        `g`.`month_days`,
        COALESCE(`x`.`n`, 0) AS `n`
      FROM (
        SELECT
          CAST(`s`.`d` AS DATE) AS `day`,
          `b`.`region` AS `region`,
          `b`.`month` AS `month`,
          `b`.`customers` AS `customers`,
          `b`.`carried` AS `carried`,
          DAY(LAST_DAY(`b`.`month`)) AS `month_days`
        FROM (
          SELECT
            `l`.`region` AS `region`,
            `l`.`month`,
            `k`.`customers`,
            `l`.`base_month` <> `l`.`month` AS `carried`
          FROM (
            SELECT
              `a`.`region` AS `region`,
              `a`.`month`,
              MAX(`k`.`month`) AS `base_month`
            FROM (
              SELECT
                `k`.`region` AS `region`,
                CAST(`s`.`m` AS DATE) AS `month`
              FROM (
                SELECT
                  `region`,
                  MIN(`month`) AS `first`
                FROM (
                  SELECT
                    `c`.`region` AS `region`,
                    CAST(`c`.`month` AS DATE) AS `month`,
                    `c`.`customers` AS `customers`
                  FROM `ds_customers` AS `c`
                ) AS `k0`
                GROUP BY
                  `region`
              ) AS `k`
              LATERAL VIEW
              EXPLODE(
                SEQUENCE(
                  CAST(`k`.`first` AS TIMESTAMP_NTZ),
                  (
                    SELECT
                      CAST(DATE_TRUNC('MONTH', MAX(`day`)) AS TIMESTAMP_NTZ)
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
                    ) AS `fl`
                  ),
                  INTERVAL '1' MONTH
                )
              ) s AS `m`
              UNION
              SELECT
                `region`,
                `month`
              FROM (
                SELECT
                  `c`.`region` AS `region`,
                  CAST(`c`.`month` AS DATE) AS `month`,
                  `c`.`customers` AS `customers`
                FROM `ds_customers` AS `c`
              ) AS `k1`
            ) AS `a`
            JOIN (
              SELECT
                `c`.`region` AS `region`,
                CAST(`c`.`month` AS DATE) AS `month`,
                `c`.`customers` AS `customers`
              FROM `ds_customers` AS `c`
            ) AS `k`
              ON `k`.`region` = `a`.`region` AND `k`.`month` <= `a`.`month`
            GROUP BY
              `a`.`region`,
              `a`.`month`
          ) AS `l`
          JOIN (
            SELECT
              `c`.`region` AS `region`,
              CAST(`c`.`month` AS DATE) AS `month`,
              `c`.`customers` AS `customers`
            FROM `ds_customers` AS `c`
          ) AS `k`
            ON `k`.`region` = `l`.`region` AND `k`.`month` = `l`.`base_month`
        ) AS `b`
        LATERAL VIEW
        EXPLODE(
          SEQUENCE(
            CAST(`b`.`month` AS TIMESTAMP_NTZ),
            CAST(LAST_DAY(`b`.`month`) AS TIMESTAMP_NTZ),
            INTERVAL '1' DAY
          )
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
) AS `monthly`
ORDER BY
  `period` NULLS LAST
