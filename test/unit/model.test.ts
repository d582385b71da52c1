import { describe, expect, it } from "vitest";
import { calendarDateSchema, submitRequestSchema } from "../../functions/domain/model.js";

const valid = {
  type: "access",
  requester: { name: "Aroha Test", email: "aroha@example.com" },
  jurisdiction: "NZ",
  description: "Everything you hold about me",
};

const pathsOf = (input: unknown) => {
  const result = submitRequestSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
};

describe("the submission schema", () => {
  it("accepts a minimal request and fills the defaults", () => {
    const parsed = submitRequestSchema.parse(valid);
    expect(parsed).toMatchObject({ relationship: "customer", anonymous: false });
  });

  it.each([
    [{ ...valid, type: "erasure" }, "type"],
    [{ ...valid, jurisdiction: "US" }, "jurisdiction"],
    [{ ...valid, requester: { name: "A", email: "not-an-email" } }, "requester.email"],
    [{ ...valid, requester: { email: "a@example.com" } }, "requester.name"],
    [{ ...valid, relationship: "friend" }, "relationship"],
    [{ ...valid, description: "   " }, "description"],
    [{ ...valid, correction: [{ field: "address" }] }, "correction.0.correctedValue"],
  ])("names the wrong field: %j → %s", (input, path) => {
    expect(pathsOf(input)).toContain(path);
  });

  it("rejects fields it does not know rather than storing them", () => {
    expect(pathsOf({ ...valid, isAdmin: true })).toEqual([""]);
  });
});

describe("calendar dates", () => {
  it.each(["2026-02-29", "2026-13-01", "26-01-01", "2026-1-1"])("rejects %s", (date) => {
    expect(calendarDateSchema.safeParse(date).success).toBe(false);
  });

  it("accepts a real date", () => {
    expect(calendarDateSchema.parse("2028-02-29")).toBe("2028-02-29");
  });
});
