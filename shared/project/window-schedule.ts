// The schedule of a sync window, as Argo CD reads it: robfig/cron with exactly the five
// standard fields (minute hour day-of-month month day-of-week; no seconds, no `@daily`
// descriptors, no `L`, `#` or `H`), evaluated in the window's IANA time zone (default UTC).
// cron-parser does the arithmetic and reads the zone through Intl, so the host's time-zone
// data decides the offsets and no tz database is downloaded. cron-parser also knows the
// extensions robfig does not; those are refused here, so a schedule means what it means in
// Argo CD or is bad input.
//
// Daylight saving: occurrences are wall-clock times in the zone (`0 22 * * *` in
// Europe/Amsterdam is 20:00 UTC in summer, 21:00 UTC in winter), and a window lasts its
// duration in elapsed time. A wall-clock time the spring change skips (02:30 on the last
// Sunday of March in Amsterdam) falls an hour later, at 03:30.
import { CronExpressionParser, type CronExpression } from 'cron-parser';

/** One entry of a field: `*`, `?`, a number or a name, an optional range end, an optional step. */
const FIELD_ENTRY = /^(\*|\?|\d+|[a-z]{3})(-(\d+|[a-z]{3}))?(\/\d+)?$/i;
const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/** Why Argo CD would not read `schedule`, or undefined when it is a valid five-field cron expression. */
export function scheduleProblem(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5)
    return `has ${fields.length} field(s); a sync window schedule has five: minute hour day-of-month month day-of-week (e.g. "0 22 * * *")`;
  for (const [index, field] of fields.entries()) {
    const bad = field.split(',').find((entry) => !FIELD_ENTRY.test(entry));
    if (bad !== undefined) return `cannot read "${bad}" in the ${FIELD_NAMES[index]} field (use numbers, names, *, ranges a-b, lists a,b and steps /n)`;
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Why `timeZone` is not an IANA time zone this runtime knows, or undefined. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return undefined;
  } catch {
    return `is not an IANA time zone (e.g. "UTC", "Europe/Amsterdam", "America/New_York")`;
  }
}

/** The first start of the schedule strictly after `after`, or undefined when it has none. */
export function nextStart(schedule: string, timeZone: string, after: Date): Date | undefined {
  const expression = parsed(schedule, timeZone);
  // One parse per schedule and zone: looking for an opening asks thousands of times.
  expression.reset(after);
  return expression.hasNext() ? expression.next().toDate() : undefined;
}

const expressions = new Map<string, CronExpression>();

function parsed(schedule: string, timeZone: string): CronExpression {
  const key = `${timeZone}\n${schedule.trim()}`;
  let expression = expressions.get(key);
  if (!expression) {
    // Schedules come from the registry: few, but not ours to bound.
    if (expressions.size > 1000) expressions.clear();
    expression = CronExpressionParser.parse(schedule.trim(), { tz: timeZone });
    expressions.set(key, expression);
  }
  return expression;
}
