// The local runtime (API, DynamoDB, Step Functions, SES, S3 emulators) is not built yet.
// Saying so plainly beats pretending: exit non-zero so no script mistakes this for a running stack.
console.error(
  "Privacy Desk: the local runtime is not built yet. What exists today is the domain " +
    "(lifecycle and deadline rules) — run `npm test` to exercise it.",
);
process.exit(1);
