import { UsageError } from "./cli-error.js";

/** The units a duration flag accepts, in milliseconds (Go's `time.ParseDuration` letters, plus days). */
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

const FORMS = "a whole number with a unit: 30d, 720h, 90m, 3600s or 500ms";

/**
 * A duration flag's value in milliseconds: `30d`, `720h`, `90m`, `3600s`, `500ms`. A bare number is refused
 * (a usage error that shows the forms: is `30` days or seconds?) unless `bareUnit` says what it
 * means (`audit --expiring-within 30` has always meant days).
 *
 * @throws UsageError (exit 2, code `USAGE`) for anything else.
 */
export function parseDuration(flag: string, value: unknown, bareUnit?: keyof typeof UNIT_MS): number {
  const match = typeof value === "string" ? /^(\d+)(ms|[dhms])?$/.exec(value.trim()) : null;
  const unit = (match?.[2] ?? bareUnit) as keyof typeof UNIT_MS | undefined;
  if (!match || unit === undefined) {
    throw new UsageError(`--${flag} takes ${FORMS}; got ${JSON.stringify(value)}`);
  }
  return Number(match[1]) * UNIT_MS[unit];
}
