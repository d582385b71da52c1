/**
 * Every expected date here was counted by hand on a calendar from the law's rules; the reasoning
 * is in each test. Weekdays: 1 Jan 2026 is a Thursday, 1 Jan 2027 a Friday.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  type CalendarOptions,
  dueDates,
  explainDueDates,
  extendByWorkingDays,
  InvalidDeadlineInputError,
  isWorkingDay,
  localDateOf,
  nextWorkingDayOnOrAfter,
  nonWorkingReason,
  workingDaysBetween,
} from "../../functions/domain/deadlines.js";
import type { Jurisdiction } from "../../functions/domain/model.js";

describe("NZ statutory limit: 20 working days (Privacy Act 2020 s44, s7)", () => {
  it("counts plain weekdays when no holiday intervenes", () => {
    // Received Mon 2 Mar 2026, 14:00 NZDT. Working days: 3–6 Mar (4), 9–13 (9), 16–20 (14),
    // 23–27 (19), Mon 30 Mar (20).
    expect(dueDates({ receivedAt: "2026-03-02T01:00:00Z", jurisdiction: "NZ" }).statutory).toBe(
      "2026-03-30",
    );
  });

  it("skips Good Friday, Easter Monday and the Mondayised Anzac Day of 2026", () => {
    // Received Wed 1 Apr 2026 (09:00 NZDT, still 31 Mar in UTC). Thu 2 Apr (1); Good Friday 3 Apr and
    // Easter Monday 6 Apr skipped; 7–10 Apr (5); 13–17 (10); 20–24 (15); Anzac Day is Sat 25 Apr, so
    // Mon 27 Apr is not a working day; 28 Apr–1 May (19); Mon 4 May (20).
    expect(dueDates({ receivedAt: "2026-03-31T20:00:00Z", jurisdiction: "NZ" }).statutory).toBe(
      "2026-05-04",
    );
  });

  it("skips Matariki 2026 (Fri 10 July) and counts from the Auckland date, not the UTC one", () => {
    // 30 Jun 2026 13:30 UTC is Wed 1 Jul 01:30 NZST, so counting starts on Thu 2 Jul.
    // 2–3 Jul (2); 6–9 (6); Matariki Fri 10 Jul skipped; 13–17 (11); 20–24 (16); 27–30 Jul (20).
    expect(dueDates({ receivedAt: "2026-06-30T13:30:00Z", jurisdiction: "NZ" }).statutory).toBe(
      "2026-07-30",
    );
  });

  it("skips the King's Birthday and Matariki 2027 (Mon 7 June, Fri 25 June)", () => {
    // Received Tue 1 Jun 2027. 2–4 Jun (3); Mon 7 Jun skipped; 8–11 (7); 14–18 (12); 21–24 (16);
    // Matariki Fri 25 Jun skipped; 28 Jun–1 Jul (20).
    expect(dueDates({ receivedAt: "2027-06-01T00:00:00Z", jurisdiction: "NZ" }).statutory).toBe(
      "2027-07-01",
    );
  });

  it("skips Waitangi Day 2027 Mondayised from Saturday 6 Feb to Monday 8 Feb", () => {
    // Received Mon 1 Feb 2027. 2–5 Feb (4); Mon 8 Feb skipped; 9–12 (8); 15–19 (13); 22–26 (18);
    // Mon 1 Mar (19); Tue 2 Mar (20).
    expect(dueDates({ receivedAt: "2027-02-01T00:00:00Z", jurisdiction: "NZ" }).statutory).toBe(
      "2027-03-02",
    );
  });

  it("skips Anzac Day 2027 Mondayised from Sunday 25 Apr to Monday 26 Apr", () => {
    // Received Thu 22 Apr 2027. Fri 23 (1); Mon 26 skipped; 27–30 (5); 3–7 May (10); 10–14 (15);
    // 17–21 May (20).
    expect(dueDates({ receivedAt: "2027-04-22T00:00:00Z", jurisdiction: "NZ" }).statutory).toBe(
      "2027-05-21",
    );
  });

  it("stops the count from 25 December to 15 January", () => {
    // Received Thu 10 Dec 2026. Fri 11 (1); 14–18 (6); 21–24 (10); 25 Dec–15 Jan not working days;
    // Mon 18 Jan 2027 (11); 19–22 (15); 25–29 Jan (20).
    expect(dueDates({ receivedAt: "2026-12-10T02:00:00Z", jurisdiction: "NZ" }).statutory).toBe(
      "2027-01-29",
    );
  });

  it("treats a regional anniversary day as a working day", () => {
    // Received Mon 12 Jan 2026 in Wellington. Window to Thu 15 Jan; Fri 16 (1); Mon 19 Jan —
    // Wellington Anniversary — counts (2); 20–23 (6); 26–30 (11); 2–5 Feb (15); Waitangi Fri 6 Feb
    // skipped; 9–13 Feb (20).
    const received = "2026-01-11T22:00:00Z"; // Mon 12 Jan 11:00 NZDT
    expect(dueDates({ receivedAt: received, jurisdiction: "NZ", region: "WGN" }).statutory).toBe(
      "2026-02-13",
    );
    expect(dueDates({ receivedAt: received, jurisdiction: "NZ" }).statutory).toBe("2026-02-13");
  });
});

describe("SLA: the provider's 15 business days", () => {
  it("uses Mon–Fri less public holidays, so the NZ summer close does not stop it", () => {
    // Received Thu 10 Dec 2026. 11 (1); 14–18 (6); 21–24 (10); Christmas Fri 25, Boxing Day
    // Mondayised to Mon 28; 29–31 Dec (13); New Year Fri 1 Jan; Day after New Year (Sat 2 Jan)
    // observed Mon 4 Jan; Tue 5 (14); Wed 6 Jan 2027 (15).
    expect(dueDates({ receivedAt: "2026-12-10T02:00:00Z", jurisdiction: "NZ" }).sla).toBe(
      "2027-01-06",
    );
  });

  it("adds the region's anniversary day when a region is given", () => {
    // Received Mon 12 Jan 2026. Without region: 13–16 (4); 19–23 (9); 26–30 (14); Mon 2 Feb (15).
    // Wellington: Mon 19 Jan is its anniversary, so one day later: Tue 3 Feb.
    const received = "2026-01-11T22:00:00Z";
    expect(dueDates({ receivedAt: received, jurisdiction: "NZ" }).sla).toBe("2026-02-02");
    expect(dueDates({ receivedAt: received, jurisdiction: "NZ", region: "WGN" }).sla).toBe(
      "2026-02-03",
    );
  });

  it("skips Easter in NZ the same way the statute does", () => {
    // Received Wed 1 Apr 2026. Thu 2 (1); 3 and 6 Apr skipped; 7–10 (5); 13–17 (10); 20–24 (15).
    expect(dueDates({ receivedAt: "2026-03-31T20:00:00Z", jurisdiction: "NZ" }).sla).toBe(
      "2026-04-24",
    );
  });

  it("honours a configured number of business days", () => {
    // Received Mon 2 Mar 2026; 5 business days: 3, 4, 5, 6, 9 Mar.
    expect(
      dueDates({ receivedAt: "2026-03-02T01:00:00Z", jurisdiction: "NZ", slaBusinessDays: 5 }).sla,
    ).toBe("2026-03-09");
  });
});

describe("AU statutory limit: 30 days (APP 12.4)", () => {
  it("moves a due date falling on Christmas in NSW to the next NSW business day", () => {
    // Received Wed 25 Nov 2026 (14:00 AEDT). +30 days = Fri 25 Dec (Christmas); Sat 26, Sun 27,
    // Mon 28 Dec (Boxing Day observed) are not business days → Tue 29 Dec.
    const explained = explainDueDates({ receivedAt: "2026-11-25T03:00:00Z", jurisdiction: "AU" });
    expect(explained.statutory.date).toBe("2026-12-29");
    expect(explained.statutory.rolledFrom).toBe("2026-12-25");
    expect(explained.statutory.skipped.map((s) => s.date)).toEqual([
      "2026-12-25",
      "2026-12-26",
      "2026-12-27",
      "2026-12-28",
    ]);
  });

  it("gives 15 NSW business days for the SLA", () => {
    // Received Wed 25 Nov 2026. 26–27 Nov (2); 30 Nov–4 Dec (7); 7–11 (12); 14–16 Dec (15).
    expect(dueDates({ receivedAt: "2026-11-25T03:00:00Z", jurisdiction: "AU" }).sla).toBe(
      "2026-12-16",
    );
  });

  it("places receipt in the state's time zone (Perth is hours behind Sydney)", () => {
    // 2026-03-01T15:00Z is Mon 2 Mar 02:00 in Sydney but still Sun 1 Mar 23:00 in Perth.
    // Sydney: 2 Mar + 30 = Wed 1 Apr. Perth: 1 Mar + 30 = Tue 31 Mar. Both business days.
    expect(dueDates({ receivedAt: "2026-03-01T15:00:00Z", jurisdiction: "AU" }).statutory).toBe(
      "2026-04-01",
    );
    expect(
      dueDates({ receivedAt: "2026-03-01T15:00:00Z", jurisdiction: "AU", region: "WA" }).statutory,
    ).toBe("2026-03-31");
  });
});

describe("EU statutory limit: one month (GDPR Art. 12(3), Regulation 1182/71 Art. 3)", () => {
  it("ends 31 January's month on the last day of February, then the next working day", () => {
    // Received Sat 31 Jan 2026 in Dublin. No 31 Feb → Sat 28 Feb (2026 is not a leap year);
    // Sat and Sun 1 Mar are not working days → Mon 2 Mar.
    const explained = explainDueDates({ receivedAt: "2026-01-31T10:00:00Z", jurisdiction: "EU" });
    expect(explained.statutory.date).toBe("2026-03-02");
    expect(explained.statutory.rolledFrom).toBe("2026-02-28");
  });

  it("keeps the same date next month when it is a working day", () => {
    // Received Wed 31 Mar 2027 in Berlin → Fri 30 Apr 2027 (April has no 31st; its last day).
    expect(
      dueDates({ receivedAt: "2027-03-31T08:00:00Z", jurisdiction: "EU", region: "DE" }).statutory,
    ).toBe("2027-04-30");
  });

  it("moves a date falling on the member state's public holiday, counting from local receipt", () => {
    // 24 Apr 2026 22:30 UTC is Sat 25 Apr 00:30 in Berlin → Mon 25 May 2026, Whit Monday
    // (Pfingstmontag, a German public holiday) → Tue 26 May.
    expect(
      dueDates({ receivedAt: "2026-04-24T22:30:00Z", jurisdiction: "EU", region: "DE" }).statutory,
    ).toBe("2026-05-26");
  });

  it("uses Ireland's calendar by default, where St Brigid's Day is a public holiday", () => {
    // SLA from Sat 31 Jan 2026: Mon 2 Feb (St Brigid's Day) skipped; 3–6 Feb (4); 9–13 (9);
    // 16–20 (14); Mon 23 Feb (15).
    expect(dueDates({ receivedAt: "2026-01-31T10:00:00Z", jurisdiction: "EU" }).sla).toBe(
      "2026-02-23",
    );
  });
});

describe("working-day arithmetic", () => {
  const nzStatutory: CalendarOptions = { jurisdiction: "NZ", kind: "statutory" };

  it("counts working days left until a due date and overdue days after it", () => {
    // From Mon 20 Apr 2026 to Wed 29 Apr: 21–24 (4), Mon 27 (Anzac observed) skipped, 28, 29 → 6.
    expect(workingDaysBetween("2026-04-20", "2026-04-29", nzStatutory)).toBe(6);
    expect(workingDaysBetween("2026-04-29", "2026-04-20", nzStatutory)).toBe(-6);
    expect(workingDaysBetween("2026-04-29", "2026-04-29", nzStatutory)).toBe(0);
  });

  it("extends a due date by working days across the summer close", () => {
    // Due Thu 24 Dec 2026, extended by 5 working days: 18, 19, 20, 21, 22 Jan 2027.
    expect(extendByWorkingDays("2026-12-24", 5, nzStatutory)).toBe("2027-01-22");
  });

  it("says why a day is not a working day", () => {
    expect(nonWorkingReason("2026-04-03", nzStatutory)).toBe("Good Friday");
    expect(nonWorkingReason("2026-04-27", nzStatutory)).toMatch(/ANZAC/i);
    expect(nonWorkingReason("2027-01-12", nzStatutory)).toMatch(/25 Dec – 15 Jan/);
    expect(nonWorkingReason("2026-03-14", nzStatutory)).toBe("Saturday");
    expect(nonWorkingReason("2026-03-16", nzStatutory)).toBeUndefined();
  });

  it("rolls a non-working day forward and leaves a working day alone", () => {
    expect(nextWorkingDayOnOrAfter("2026-04-03", nzStatutory)).toBe("2026-04-07");
    expect(nextWorkingDayOnOrAfter("2026-04-07", nzStatutory)).toBe("2026-04-07");
  });

  it("explains the NZ statutory date with every skipped day and its reason", () => {
    const explained = explainDueDates({ receivedAt: "2026-03-31T20:00:00Z", jurisdiction: "NZ" });
    expect(explained.receivedLocalDate).toBe("2026-04-01");
    expect(explained.timeZone).toBe("Pacific/Auckland");
    expect(explained.statutory.counted).toBe(20);
    expect(explained.statutory.skipped).toEqual(
      expect.arrayContaining([
        { date: "2026-04-03", reason: "Good Friday" },
        { date: "2026-04-06", reason: "Easter Monday" },
        { date: "2026-04-27", reason: "ANZAC Day (substitute day)" },
      ]),
    );
    expect(explained.statutory.rule).toMatch(/s44/);
  });

  it("gives the local date of an instant", () => {
    expect(localDateOf("2026-06-30T13:30:00Z", "NZ")).toBe("2026-07-01");
    expect(localDateOf("2026-06-30T13:30:00Z", "EU", "IE")).toBe("2026-06-30");
  });
});

describe("invalid input names the field", () => {
  it.each([
    [{ receivedAt: "not a date", jurisdiction: "NZ" }, "receivedAt"],
    [{ receivedAt: "2026-13-45T00:00:00Z", jurisdiction: "NZ" }, "receivedAt"],
    [{ receivedAt: "2026-03-02T01:00:00Z", jurisdiction: "US" }, "jurisdiction"],
    [{ receivedAt: "2026-03-02T01:00:00Z", jurisdiction: "AU", region: "XX" }, "region"],
    [{ receivedAt: "2026-03-02T01:00:00Z", jurisdiction: "EU", region: "GB" }, "region"],
    [
      { receivedAt: "2026-03-02T01:00:00Z", jurisdiction: "NZ", slaBusinessDays: 0 },
      "slaBusinessDays",
    ],
  ])("rejects %j on %s", (input, field) => {
    expect(() => dueDates(input as never)).toThrow(
      expect.objectContaining({ name: "InvalidDeadlineInputError", field }),
    );
  });

  it("rejects a calendar date that does not exist", () => {
    expect(() => addWorkingDays("2026-02-30", 1, { jurisdiction: "NZ", kind: "business" })).toThrow(
      InvalidDeadlineInputError,
    );
  });
});

describe("properties of the arithmetic", () => {
  const jurisdictions: [Jurisdiction, string | undefined][] = [
    ["NZ", undefined],
    ["NZ", "AUK"],
    ["AU", "NSW"],
    ["AU", "WA"],
    ["EU", "IE"],
    ["EU", "DE"],
  ];
  const day = fc
    .integer({ min: 0, max: 729 })
    .map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
  const options = fc
    .record({
      place: fc.constantFrom(...jurisdictions),
      kind: fc.constantFrom("statutory" as const, "business" as const),
    })
    .map(
      ({ place, kind }): CalendarOptions => ({ jurisdiction: place[0], region: place[1], kind }),
    );

  it("adding N working days and counting them back agree, and land on a working day", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 60 }), options, (start, n, opts) => {
        const end = addWorkingDays(start, n, opts);
        expect(workingDaysBetween(start, end, opts)).toBe(n);
        if (n > 0) expect(isWorkingDay(end, opts)).toBe(true);
      }),
    );
  });

  it("never gives a due date on a non-working day", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 729 * 24 }),
        fc.constantFrom(...jurisdictions),
        (hours, [jurisdiction, region]) => {
          const receivedAt = new Date(Date.UTC(2026, 0, 1) + hours * 3_600_000);
          const due = dueDates({ receivedAt, jurisdiction, region });
          expect(isWorkingDay(due.sla, { jurisdiction, region, kind: "business" })).toBe(true);
          expect(isWorkingDay(due.statutory, { jurisdiction, region, kind: "statutory" })).toBe(
            true,
          );
        },
      ),
    );
  });

  it("never puts the NZ SLA after the statutory date", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 729 * 24 }), (hours) => {
        const receivedAt = new Date(Date.UTC(2026, 0, 1) + hours * 3_600_000);
        const due = dueDates({ receivedAt, jurisdiction: "NZ" });
        expect(due.sla <= due.statutory).toBe(true);
      }),
    );
  });
});
