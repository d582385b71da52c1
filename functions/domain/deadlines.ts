/**
 * Deadline engine: when a privacy request must be answered, and how that date was worked out.
 *
 * Two clocks per request:
 * - statutory — NZ Privacy Act 2020 s44: 20 working days as s7 defines them; GDPR Art. 12(3): one
 *   month, counted per Regulation 1182/71 Art. 3; AU APP 12.4: 30 days, rolled to a business day.
 * - sla — the provider's promise: N business days (default 15).
 *
 * The day of receipt is never counted, and receipt is placed in the jurisdiction's time zone first.
 * Holidays come from `date-holidays`; the only hand-written rule is the one the law adds to a
 * holiday list (NZ s7: no day from 25 December to 15 January is a working day).
 */
import Holidays from "date-holidays";
import type { CalendarDate, DueDates, Jurisdiction } from "./model.js";

export type DayKind = "statutory" | "business";

export interface CalendarOptions {
  jurisdiction: Jurisdiction;
  region?: string;
  kind: DayKind;
}

export interface DueDateInput {
  receivedAt: string | Date;
  jurisdiction: Jurisdiction;
  region?: string;
  slaBusinessDays?: number;
}

export interface DueDateExplanation {
  date: CalendarDate;
  rule: string;
  /** Working days counted (NZ statutory, SLA). */
  counted?: number;
  /** Days passed over while counting, or while rolling forward, and why. */
  skipped: { date: CalendarDate; reason: string }[];
  /** Set when the raw date fell on a non-working day and was moved forward from it. */
  rolledFrom?: CalendarDate;
}

export class InvalidDeadlineInputError extends Error {
  override readonly name = "InvalidDeadlineInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export const DEFAULT_SLA_BUSINESS_DAYS = 15;
const NZ_STATUTORY_WORKING_DAYS = 20;
const AU_STATUTORY_CALENDAR_DAYS = 30;

/** Default region per jurisdiction (AU: the state; EU: the member state). */
export const DEFAULT_REGION: Record<Jurisdiction, string | undefined> = {
  NZ: undefined,
  AU: "NSW",
  EU: "IE",
};

const AU_TIME_ZONES: Record<string, string> = {
  NSW: "Australia/Sydney",
  ACT: "Australia/Sydney",
  VIC: "Australia/Melbourne",
  QLD: "Australia/Brisbane",
  SA: "Australia/Adelaide",
  WA: "Australia/Perth",
  TAS: "Australia/Hobart",
  NT: "Australia/Darwin",
};

const EU_TIME_ZONES: Record<string, string> = {
  AT: "Europe/Vienna",
  BE: "Europe/Brussels",
  BG: "Europe/Sofia",
  HR: "Europe/Zagreb",
  CY: "Asia/Nicosia",
  CZ: "Europe/Prague",
  DK: "Europe/Copenhagen",
  EE: "Europe/Tallinn",
  FI: "Europe/Helsinki",
  FR: "Europe/Paris",
  DE: "Europe/Berlin",
  GR: "Europe/Athens",
  HU: "Europe/Budapest",
  IE: "Europe/Dublin",
  IT: "Europe/Rome",
  LV: "Europe/Riga",
  LT: "Europe/Vilnius",
  LU: "Europe/Luxembourg",
  MT: "Europe/Malta",
  NL: "Europe/Amsterdam",
  PL: "Europe/Warsaw",
  PT: "Europe/Lisbon",
  RO: "Europe/Bucharest",
  SK: "Europe/Bratislava",
  SI: "Europe/Ljubljana",
  ES: "Europe/Madrid",
  SE: "Europe/Stockholm",
};

/** NZ provinces whose anniversary days date-holidays knows (business calendar only). */
const NZ_REGIONS = new Set(Object.keys(new Holidays().getStates("NZ") ?? {}));

/**
 * NZ Privacy Act 2020 s7 names the holidays that are not working days; substitutes count only for
 * Waitangi Day and Anzac Day (Mondayised). Christmas and New Year fall inside 25 Dec – 15 Jan.
 */
const NZ_STATUTORY_HOLIDAY =
  /^(Waitangi Day( \(substitute day\))?|Good Friday|Easter Monday|ANZAC Day( \(substitute day\))?|(King's|Queen's|Sovereign's) Birthday|Matariki|Labour Day)$/i;

interface Place {
  jurisdiction: Jurisdiction;
  region: string | undefined;
  timeZone: string;
}

/** Validates jurisdiction and region, applies the default region, and finds the time zone. */
function placeOf(jurisdiction: unknown, region: unknown): Place {
  if (jurisdiction !== "NZ" && jurisdiction !== "AU" && jurisdiction !== "EU") {
    throw new InvalidDeadlineInputError("jurisdiction", `must be one of NZ, AU, EU`);
  }
  if (region !== undefined && typeof region !== "string") {
    throw new InvalidDeadlineInputError("region", "must be a region code");
  }
  const code = (region ?? DEFAULT_REGION[jurisdiction])?.toUpperCase();
  switch (jurisdiction) {
    case "NZ":
      if (code !== undefined && !NZ_REGIONS.has(code)) {
        throw new InvalidDeadlineInputError("region", `unknown NZ region "${code}"`);
      }
      return {
        jurisdiction,
        region: code,
        timeZone: code === "CIT" ? "Pacific/Chatham" : "Pacific/Auckland",
      };
    case "AU": {
      const timeZone = code === undefined ? undefined : AU_TIME_ZONES[code];
      if (timeZone === undefined) {
        throw new InvalidDeadlineInputError("region", `unknown Australian state "${code}"`);
      }
      return { jurisdiction, region: code, timeZone };
    }
    case "EU": {
      const timeZone = code === undefined ? undefined : EU_TIME_ZONES[code];
      if (timeZone === undefined) {
        throw new InvalidDeadlineInputError("region", `unknown EU member state "${code}"`);
      }
      return { jurisdiction, region: code, timeZone };
    }
  }
}

/** date-holidays country code and state for a place. */
function holidayLocale(place: Place): [string, string | undefined] {
  if (place.jurisdiction === "EU") return [place.region ?? "IE", undefined];
  return [place.jurisdiction, place.region];
}

const holidayCache = new Map<string, Map<CalendarDate, string>>();

/** Public holidays of one calendar year for a place and kind of day, date → name. */
function holidaysOf(place: Place, kind: DayKind, year: number): Map<CalendarDate, string> {
  // The NZ statutory calendar is national: regional anniversary days are working days under s7.
  const nzStatutory = place.jurisdiction === "NZ" && kind === "statutory";
  const region = nzStatutory ? undefined : place.region;
  const key = `${place.jurisdiction}|${region ?? ""}|${nzStatutory ? "s7" : "public"}|${year}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  const [country, state] = holidayLocale({ ...place, region });
  const calendar = state === undefined ? new Holidays(country) : new Holidays(country, state);
  const days = new Map<CalendarDate, string>();
  for (const holiday of calendar.getHolidays(year)) {
    if (holiday.type !== "public") continue;
    if (nzStatutory && !NZ_STATUTORY_HOLIDAY.test(holiday.name)) continue;
    const date = holiday.date.slice(0, 10);
    if (!days.has(date)) days.set(date, holiday.name);
  }
  holidayCache.set(key, days);
  return days;
}

// ---- calendar-date arithmetic (dates as UTC midnights, so no DST can shift them) ----

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: CalendarDate, field = "date"): Date {
  const m = DATE_PATTERN.exec(date);
  const parsed = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || formatDate(parsed) !== date) {
    throw new InvalidDeadlineInputError(field, `"${date}" is not a calendar date YYYY-MM-DD`);
  }
  return parsed;
}

function formatDate(d: Date): CalendarDate {
  return d.toISOString().slice(0, 10);
}

/** The earlier of two calendar dates (ISO dates compare as strings). */
export const earliest = (a: CalendarDate, b: CalendarDate): CalendarDate => (a <= b ? a : b);
export const latest = (a: CalendarDate, b: CalendarDate): CalendarDate => (a >= b ? a : b);

export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const d = parseDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return formatDate(d);
}

const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];

/** Why a day is not a working day of this calendar, or undefined when it is one. */
export function nonWorkingReason(date: CalendarDate, opts: CalendarOptions): string | undefined {
  const place = placeOf(opts.jurisdiction, opts.region);
  return reasonAt(parseDate(date), place, opts.kind);
}

function reasonAt(d: Date, place: Place, kind: DayKind): string | undefined {
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return WEEKDAY_NAMES[weekday];
  if (place.jurisdiction === "NZ" && kind === "statutory") {
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if ((month === 12 && day >= 25) || (month === 1 && day <= 15)) {
      return "NZ summer close (25 Dec – 15 Jan, Privacy Act s7)";
    }
  }
  return holidaysOf(place, kind, d.getUTCFullYear()).get(formatDate(d));
}

/** Both calendars of a place: statutory (the law's working days) and business (the SLA's). */
export function calendarsOf(place: { jurisdiction: Jurisdiction; region?: string }): {
  statutory: CalendarOptions;
  business: CalendarOptions;
} {
  const base = { jurisdiction: place.jurisdiction, region: place.region };
  return { statutory: { ...base, kind: "statutory" }, business: { ...base, kind: "business" } };
}

export function isWorkingDay(date: CalendarDate, opts: CalendarOptions): boolean {
  return nonWorkingReason(date, opts) === undefined;
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 3660) {
    throw new InvalidDeadlineInputError("n", "must be a whole number of days from 0 to 3660");
  }
}

/** Counts n working days from the day AFTER `date`; the skipped days are reported to `skipped`. */
function countForward(
  date: CalendarDate,
  n: number,
  place: Place,
  kind: DayKind,
  skipped?: { date: CalendarDate; reason: string }[],
): CalendarDate {
  const d = parseDate(date);
  let counted = 0;
  while (counted < n) {
    d.setUTCDate(d.getUTCDate() + 1);
    const reason = reasonAt(d, place, kind);
    if (reason === undefined) counted++;
    else skipped?.push({ date: formatDate(d), reason });
  }
  return formatDate(d);
}

/** The date n working days after `date` (the day itself is not counted); n = 0 returns `date`. */
export function addWorkingDays(date: CalendarDate, n: number, opts: CalendarOptions): CalendarDate {
  checkCount(n);
  return countForward(date, n, placeOf(opts.jurisdiction, opts.region), opts.kind);
}

/** An extension of a due date by n working days. */
export function extendByWorkingDays(
  due: CalendarDate,
  n: number,
  opts: CalendarOptions,
): CalendarDate {
  return addWorkingDays(due, n, opts);
}

/**
 * Working days after `from` up to and including `to`. Negative when `to` is before `from`:
 * `workingDaysBetween(due, today)` of -3 reads "3 working days overdue" the other way round,
 * `workingDaysBetween(today, due)` of 3 reads "3 working days left".
 */
export function workingDaysBetween(
  from: CalendarDate,
  to: CalendarDate,
  opts: CalendarOptions,
): number {
  const place = placeOf(opts.jurisdiction, opts.region);
  const start = parseDate(from, "from");
  const end = parseDate(to, "to");
  const sign = end >= start ? 1 : -1;
  const [lo, hi] = sign === 1 ? [start, end] : [end, start];
  let count = 0;
  const d = new Date(lo);
  while (d < hi) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (reasonAt(d, place, opts.kind) === undefined) count++;
  }
  return sign * count;
}

/** `date` itself if it is a working day, else the next one. */
export function nextWorkingDayOnOrAfter(date: CalendarDate, opts: CalendarOptions): CalendarDate {
  return rollForward(date, placeOf(opts.jurisdiction, opts.region), opts.kind).date;
}

function rollForward(
  date: CalendarDate,
  place: Place,
  kind: DayKind,
): { date: CalendarDate; skipped: { date: CalendarDate; reason: string }[] } {
  const d = parseDate(date);
  const skipped: { date: CalendarDate; reason: string }[] = [];
  for (
    let reason = reasonAt(d, place, kind);
    reason !== undefined;
    reason = reasonAt(d, place, kind)
  ) {
    skipped.push({ date: formatDate(d), reason });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return { date: formatDate(d), skipped };
}

const localDateFormats = new Map<string, Intl.DateTimeFormat>();

function toInstant(receivedAt: unknown): Date {
  const instant =
    receivedAt instanceof Date
      ? receivedAt
      : typeof receivedAt === "string" && /^\d{4}-\d{2}-\d{2}T/.test(receivedAt)
        ? new Date(receivedAt)
        : undefined;
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new InvalidDeadlineInputError("receivedAt", "must be an ISO-8601 date-time");
  }
  return instant;
}

function localDateIn(instant: Date, timeZone: string): CalendarDate {
  let format = localDateFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    localDateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** The calendar date of an instant in the jurisdiction's (region's) time zone. */
export function localDateOf(
  instant: string | Date,
  jurisdiction: Jurisdiction,
  region?: string,
): CalendarDate {
  return localDateIn(toInstant(instant), placeOf(jurisdiction, region).timeZone);
}

/** Regulation 1182/71 Art. 3(2)(c): the same date one month on, or that month's last day. */
function oneMonthAfter(date: CalendarDate): CalendarDate {
  const d = parseDate(date);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return formatDate(new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay))));
}

function slaDaysOf(input: DueDateInput): number {
  const days = input.slaBusinessDays ?? DEFAULT_SLA_BUSINESS_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 60) {
    throw new InvalidDeadlineInputError("slaBusinessDays", "must be a whole number from 1 to 60");
  }
  return days;
}

/** Both due dates, with the working of each: which days were skipped and why. */
export function explainDueDates(input: DueDateInput): {
  receivedLocalDate: CalendarDate;
  timeZone: string;
  sla: DueDateExplanation;
  statutory: DueDateExplanation;
} {
  const place = placeOf(input.jurisdiction, input.region);
  const received = localDateIn(toInstant(input.receivedAt), place.timeZone);
  const slaDays = slaDaysOf(input);

  const slaSkipped: { date: CalendarDate; reason: string }[] = [];
  const sla: DueDateExplanation = {
    date: countForward(received, slaDays, place, "business", slaSkipped),
    rule: `${slaDays} business days after the day of receipt (provider's service promise)`,
    counted: slaDays,
    skipped: slaSkipped,
  };
  return {
    receivedLocalDate: received,
    timeZone: place.timeZone,
    sla,
    statutory: statutoryExplanation(received, place),
  };
}

function statutoryExplanation(received: CalendarDate, place: Place): DueDateExplanation {
  if (place.jurisdiction === "NZ") {
    const skipped: { date: CalendarDate; reason: string }[] = [];
    const date = countForward(received, NZ_STATUTORY_WORKING_DAYS, place, "statutory", skipped);
    return {
      date,
      rule: "20 working days after the day of receipt (Privacy Act 2020 s44, working days per s7)",
      counted: NZ_STATUTORY_WORKING_DAYS,
      skipped,
    };
  }
  const raw =
    place.jurisdiction === "EU"
      ? oneMonthAfter(received)
      : addCalendarDays(received, AU_STATUTORY_CALENDAR_DAYS);
  const rolled = rollForward(raw, place, "statutory");
  return {
    date: rolled.date,
    rule:
      place.jurisdiction === "EU"
        ? `One month after the day of receipt (GDPR Art. 12(3), counted per Regulation 1182/71 Art. 3; ${place.region} working days)`
        : `30 days after the day of receipt (APP 12.4), moved to the next ${place.region} business day`,
    skipped: rolled.skipped,
    ...(rolled.date !== raw ? { rolledFrom: raw } : {}),
  };
}

/** The last day on which a response is on time, for both clocks. */
export function dueDates(input: DueDateInput): DueDates {
  const explained = explainDueDates(input);
  return { sla: explained.sla.date, statutory: explained.statutory.date };
}
