import type { SESReceipt } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  classifyRequest,
  referenceIn,
  type SesReceipt,
  type SesVerdictStatus,
  sesVerdictDecision,
} from "../../functions/domain/inbound-email.js";

describe("finding the request reference in a subject", () => {
  it.each([
    ["[PD-0123A-BCDEF] Your verification code", "0123ABCDEF"],
    ["Re: [PD-0123A-BCDEF] Your verification code", "0123ABCDEF"],
    ["RE: RE: [PD-0123A-BCDEF] Fee notice", "0123ABCDEF"],
    ["Fwd: [PD-0123A-BCDEF] Your response is ready", "0123ABCDEF"],
    ["re: [pd-0123a-bcdef] lowercase after a mobile client", "0123ABCDEF"],
    ["Question about PD-9ZZZZ-00001 please", "9ZZZZ00001"],
  ])("finds the request in %j", (subject, id) => {
    const found = referenceIn(subject);

    expect(found).toBe(id);
  });

  it.each([
    ["Request for a copy of my personal information"],
    ["Re: [PD-0123A-BCDE] one character short"],
    ["Re: [PD-0123A-BCDEFG] one character too many"],
    ["Re: [XPD-0123A-BCDEF] glued to another word"],
    ["Re: [PD-0123A-BCDEL] L is not in the reference alphabet"],
    [""],
  ])("finds nothing in %j", (subject) => {
    const found = referenceIn(subject);

    expect(found).toBeUndefined();
  });

  it("skips an invalid candidate and takes the next valid reference", () => {
    const subject = "Re: PD-OOOOO-IIIII and [PD-0123A-BCDEF]";

    const found = referenceIn(subject);

    expect(found).toBe("0123ABCDEF");
  });
});

describe("classifying what a new email asks for", () => {
  it.each([
    ["Request for a copy of my personal information", "", "access"],
    ["Subject access request", "", "access"],
    ["SAR", "Please respond within one month.", "access"],
    ["", "What information do you hold about me?", "access"],
    ["Privacy question", "Under the Privacy Act I would like a copy of my data.", "access"],
    ["Hello", "I'd like access to my personal information please.", "access"],
    ["Please delete my account", "", "deletion"],
    ["", "I want you to erase everything you have on me.", "deletion"],
    ["Right to be forgotten", "", "deletion"],
    ["", "Please remove my data from your systems.", "deletion"],
    ["My address is wrong in your records", "", "correction"],
    ["", "Can you update my details? I moved to Wellington.", "correction"],
    ["", "Your records are inaccurate, my date of birth is 3 May 1980.", "correction"],
    ["", "Please correct my surname, it is Smyth not Smith.", "correction"],
    ["", "My email has changed to the one I am writing from.", "correction"],
    ["unsubscribe", "", "marketing-opt-out"],
    ["", "Stop sending me these emails.", "marketing-opt-out"],
    ["", "I want to opt out of marketing.", "marketing-opt-out"],
    ["", "No more marketing please.", "marketing-opt-out"],
    ["", "Please remove me from your mailing list.", "marketing-opt-out"],
    ["", "Delete my email address from your marketing list.", "marketing-opt-out"],
    ["Complaint", "", "complaint"],
    ["", "I want to complain about how my information was handled.", "complaint"],
    ["", "I think you have had a data breach.", "complaint"],
    ["", "I am not happy with how you dealt with me.", "complaint"],
  ])("classifies %j / %j as %s", (subject, body, type) => {
    const classified = classifyRequest(subject, body);

    expect(classified).toBe(type);
  });

  it("weighs the subject over the body", () => {
    const classified = classifyRequest("Unsubscribe", "Also delete the old address you have.");

    expect(classified).toBe("marketing-opt-out");
  });

  it("lets unsubscribe wording win when it is the main ask", () => {
    const classified = classifyRequest(
      "Your weekly deals",
      "Please unsubscribe me. Stop sending me these. I have already opted out twice and you can delete my old email.",
    );

    expect(classified).toBe("marketing-opt-out");
  });

  it("treats a negated request as not asked: no deletion, just a copy", () => {
    const classified = classifyRequest(
      "",
      "I do not want you to delete anything, just send me a copy of my data.",
    );

    expect(classified).toBe("access");
  });

  it("does not read 'the correct address' as a correction request", () => {
    const classified = classifyRequest(
      "",
      "Is this the correct address for privacy requests? I would like a copy of my records.",
    );

    expect(classified).toBe("access");
  });

  it("does not let the 'not' of 'not happy' negate the request after it", () => {
    const classified = classifyRequest("Erase my data", "I am not happy please delete everything");

    expect(classified).toBe("deletion");
  });

  it("ignores the quoted message in a reply", () => {
    const classified = classifyRequest(
      "Re: Your newsletter",
      "Thanks.\n\n> To unsubscribe, click here.\n> Stop sending? Opt out any time.",
    );

    expect(classified).toBe("unclassified");
  });

  it("leaves a tie to an officer", () => {
    const classified = classifyRequest(
      "",
      "Please delete my data and send me a copy of my data first.",
    );

    expect(classified).toBe("unclassified");
  });

  it.each([
    ["Hello", "Could you send the code again please?"],
    ["", ""],
    ["Question", "What are your opening hours?"],
  ])("leaves %j / %j unclassified", (subject, body) => {
    const classified = classifyRequest(subject, body);

    expect(classified).toBe("unclassified");
  });

  it("matches phrases across line breaks and with curly apostrophes", () => {
    const classified = classifyRequest("", "I’d like a copy\nof my data.\r\nThanks");

    expect(classified).toBe("access");
  });
});

const STATUSES: SesVerdictStatus[] = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"];
const allPass: SesReceipt = {
  spamVerdict: { status: "PASS" },
  virusVerdict: { status: "PASS" },
  spfVerdict: { status: "PASS" },
  dkimVerdict: { status: "PASS" },
  dmarcVerdict: { status: "PASS" },
};

describe("deciding on an inbound message from its SES verdicts", () => {
  it("processes an authenticated message when every verdict passed", () => {
    const decision = sesVerdictDecision(allPass);

    expect(decision).toEqual({ action: "process", senderAuthenticated: true });
  });

  it("drops a message carrying a virus, even when it is also spam", () => {
    const decision = sesVerdictDecision({
      ...allPass,
      virusVerdict: { status: "FAIL" },
      spamVerdict: { status: "FAIL" },
    });

    expect(decision).toEqual({ action: "drop", reason: "virus" });
  });

  it("quarantines spam", () => {
    const decision = sesVerdictDecision({ ...allPass, spamVerdict: { status: "FAIL" } });

    expect(decision).toEqual({ action: "quarantine", reason: "spam" });
  });

  it("quarantines a message whose DKIM signature failed", () => {
    const decision = sesVerdictDecision({ ...allPass, dkimVerdict: { status: "FAIL" } });

    expect(decision).toEqual({ action: "quarantine", reason: "dkim-fail" });
  });

  it("quarantines a message whose SPF check failed", () => {
    const decision = sesVerdictDecision({ ...allPass, spfVerdict: { status: "FAIL" } });

    expect(decision).toEqual({ action: "quarantine", reason: "spf-fail" });
  });

  it("quarantines a message that failed its domain's DMARC policy", () => {
    const decision = sesVerdictDecision({ ...allPass, dmarcVerdict: { status: "FAIL" } });

    expect(decision).toEqual({ action: "quarantine", reason: "dmarc-fail" });
  });

  it("names DMARC, then DKIM, then SPF when several failed", () => {
    const fail = { status: "FAIL" } as const;

    const all = sesVerdictDecision({
      ...allPass,
      spfVerdict: fail,
      dkimVerdict: fail,
      dmarcVerdict: fail,
    });
    const dkimAndSpf = sesVerdictDecision({ ...allPass, spfVerdict: fail, dkimVerdict: fail });

    expect(all).toEqual({ action: "quarantine", reason: "dmarc-fail" });
    expect(dkimAndSpf).toEqual({ action: "quarantine", reason: "dkim-fail" });
  });

  it("quarantines spam before an authentication failure", () => {
    const decision = sesVerdictDecision({
      ...allPass,
      spamVerdict: { status: "FAIL" },
      dkimVerdict: { status: "FAIL" },
    });

    expect(decision).toEqual({ action: "quarantine", reason: "spam" });
  });

  it("authenticates the sender with DMARC and only one of DKIM or SPF passing", () => {
    const dkimOnly = sesVerdictDecision({ ...allPass, spfVerdict: { status: "GRAY" } });
    const spfOnly = sesVerdictDecision({ ...allPass, dkimVerdict: { status: "GRAY" } });

    expect(dkimOnly).toEqual({ action: "process", senderAuthenticated: true });
    expect(spfOnly).toEqual({ action: "process", senderAuthenticated: true });
  });

  it.each(["GRAY", "PROCESSING_FAILED", "DISABLED"] as const)(
    "processes a message whose DMARC verdict is %s, without authenticating the sender",
    (status) => {
      const decision = sesVerdictDecision({ ...allPass, dmarcVerdict: { status } });

      expect(decision).toEqual({ action: "process", senderAuthenticated: false });
    },
  );

  it.each(["GRAY", "PROCESSING_FAILED", "DISABLED"] as const)(
    "processes a message whose spam and virus verdicts are %s",
    (status) => {
      const decision = sesVerdictDecision({
        ...allPass,
        spamVerdict: { status },
        virusVerdict: { status },
      });

      expect(decision).toEqual({ action: "process", senderAuthenticated: true });
    },
  );

  it("processes a message with no verdicts at all, unauthenticated", () => {
    const decision = sesVerdictDecision({});

    expect(decision).toEqual({ action: "process", senderAuthenticated: false });
  });

  it("accepts the receipt of a real SES inbound event", () => {
    const receipt: SESReceipt = {
      timestamp: "2025-11-05T09:00:00.000Z",
      processingTimeMillis: 412,
      recipients: ["privacy@privacydesk.example"],
      spamVerdict: { status: "PASS" },
      virusVerdict: { status: "PASS" },
      spfVerdict: { status: "PASS" },
      dkimVerdict: { status: "GRAY" },
      dmarcVerdict: { status: "PASS" },
      dmarcPolicy: "reject",
      action: {
        type: "Lambda",
        functionArn: "arn:aws:lambda:ap-southeast-2:1:function:intake",
        invocationType: "Event",
      },
    };

    const decision = sesVerdictDecision(receipt);

    expect(decision).toEqual({ action: "process", senderAuthenticated: true });
  });

  it("follows the rules for every one of the 3125 verdict combinations", () => {
    const receipts = STATUSES.flatMap((spam) =>
      STATUSES.flatMap((virus) =>
        STATUSES.flatMap((spf) =>
          STATUSES.flatMap((dkim) => STATUSES.map((dmarc) => ({ spam, virus, spf, dkim, dmarc }))),
        ),
      ),
    );

    const outcomes = receipts.map((v) => ({
      v,
      decision: sesVerdictDecision({
        spamVerdict: { status: v.spam },
        virusVerdict: { status: v.virus },
        spfVerdict: { status: v.spf },
        dkimVerdict: { status: v.dkim },
        dmarcVerdict: { status: v.dmarc },
      }),
    }));

    expect(outcomes).toHaveLength(3125);
    for (const { v, decision } of outcomes) {
      const anyAuthFail = [v.spf, v.dkim, v.dmarc].includes("FAIL");
      if (v.virus === "FAIL") {
        expect(decision).toEqual({ action: "drop", reason: "virus" });
      } else if (v.spam === "FAIL") {
        expect(decision).toEqual({ action: "quarantine", reason: "spam" });
      } else if (anyAuthFail) {
        expect(decision.action).toBe("quarantine");
      } else {
        expect(decision).toEqual({
          action: "process",
          senderAuthenticated: v.dmarc === "PASS" && (v.dkim === "PASS" || v.spf === "PASS"),
        });
      }
    }
  });
});
