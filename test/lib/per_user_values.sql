-- per_user_values.sql: one funnel (exclusion, held channel, campaign
-- breakdown), attribution (time_decay with amounts) and lift (landmark) value
-- per user of the loaded clickstream (events), in the temp table
-- per_user(user_id, f, a, l): the values the mutation and round-trip
-- suites start from.
CREATE TEMP TABLE per_user AS
SELECT user_id,
       funnel_agg('1 day', 'exclude=search@2-3', ts, event, ARRAY['view', 'cart', 'purchase'],
                  hold_by(props ->> 'channel'), breakdown_by(props ->> 'campaign')) AS f,
       attribution_agg('7 days', 'time_decay, half_life=2 days', ts,
                       CASE WHEN event IN ('campaign_click', 'newsletter_signup') THEN event || '/' || coalesce(props ->> 'channel', '') END,
                       event = 'purchase', (props ->> 'amount')::float8) AS a,
       lift_agg('1 day', ts, CASE WHEN event <> 'purchase' THEN event END, event = 'purchase') AS l
FROM events GROUP BY user_id;
