/* metric: open_backlog */
WITH "rows_in" AS (
  SELECT
    "t"."opened_at" AS "d",
    "t"."closed_at" AS "closed"
  FROM "ds_complaints" AS "t"
  WHERE
    NOT "t"."opened_at" IS NULL
)
SELECT
  "c"."period" AS "period",
  COUNT(*) AS "n"
FROM (
  SELECT
    CAST("p" AS DATE) AS "period",
    CAST("p" + INTERVAL '1' MONTH AS DATE) AS "period_end"
  FROM UNNEST(GENERATE_SERIES(
    DATE_TRUNC('MONTH', (
      SELECT
        MIN("d")
      FROM "rows_in"
    )),
    (
      SELECT
        MAX("d")
      FROM "rows_in"
    ),
    INTERVAL '1' MONTH
  )) AS "g"("p")
) AS "c"
JOIN "rows_in" AS "r"
  ON "r"."d" < "c"."period_end"
  AND (
    "r"."closed" IS NULL OR "r"."closed" >= "c"."period_end"
  )
GROUP BY
  "c"."period"
ORDER BY
  "c"."period"
