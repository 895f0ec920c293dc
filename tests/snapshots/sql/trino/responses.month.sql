/* metric: responses */
SELECT
  CAST(DATE_TRUNC('MONTH', "d") AS DATE) AS "period",
  SUM("n") AS "n"
FROM (
  SELECT
    "t"."responded_at" AS "d",
    "t"."responses__n" AS "n"
  FROM "rollup_responses" AS "t"
  WHERE
    NOT "t"."responded_at" IS NULL
) AS "b"
GROUP BY
  "period"
ORDER BY
  "period"
