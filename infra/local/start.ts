/**
 * `npm start`: the whole system on this machine. Ports from PORT (3000), MAIL_PORT (8005),
 * DYNAMODB_PORT (8000), SFN_PORT (8083), S3_PORT (4569), SMTP_PORT (2525, with SES's verdicts
 * from SMTP_VERDICTS, e.g. "spam=FAIL"; all PASS by default); data under DATA_DIR (.data/); the
 * deadline scan every SCAN_INTERVAL_SECONDS (3600, as the deployed schedule; 0 turns it off).
 */
import { startLocalStackRecovering } from "./runtime.js";
import { parseVerdicts } from "./smtp-listener.js";

function verdictsFromEnv() {
  try {
    return parseVerdicts(process.env.SMTP_VERDICTS);
  } catch (error) {
    console.error(`SMTP_VERDICTS: ${(error as Error).message}`);
    process.exit(2);
  }
}

const whole = (name: string, fallback: number, max: number, what: string) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`${name} must be ${what}, not "${process.env[name]}"`);
    process.exit(2);
  }
  return value;
};
const port = (name: string, fallback: number) => whole(name, fallback, 65535, "a port number");

const dataDir = process.env.DATA_DIR ?? ".data";
const options = {
  dataDir,
  ports: {
    api: port("PORT", 3000),
    mail: port("MAIL_PORT", 8005),
    dynamodb: port("DYNAMODB_PORT", 8000),
    sfn: port("SFN_PORT", 8083),
    s3: port("S3_PORT", 4569),
    smtp: port("SMTP_PORT", 2525),
  },
  smtpVerdicts: verdictsFromEnv(),
  scanIntervalSeconds: whole("SCAN_INTERVAL_SECONDS", 3600, 86_400, "a number of seconds"),
};

async function main() {
  const stack = await startLocalStackRecovering(options);
  console.log(
    [
      "Privacy Desk is running locally:",
      `  API              ${stack.urls.api}   (GET /health)`,
      `  Mail (SES)       ${stack.urls.mail}   (every mail sent; /store as JSON)`,
      `  DynamoDB         ${stack.urls.dynamodb}`,
      `  Step Functions   ${stack.urls.sfn}`,
      `  S3               ${stack.urls.s3}`,
      `  Inbound mail     ${stack.urls.smtp}   (SMTP: mail a request to privacy@example.com)`,
      options.scanIntervalSeconds > 0
        ? `Deadline scan every ${options.scanIntervalSeconds} s; one now, as of any instant: npm run scan -- --at 2027-01-12T09:00:00+13:00`
        : "Deadline scan timer off; one now: npm run scan -- --at <ISO date-time>",
      "Officer token: npm run officer-token -- --email officer@example.com",
      "Ctrl-C stops everything.",
    ].join("\n"),
  );
  const shutdown = async () => {
    console.log("stopping…");
    await stack.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: Error) => {
  console.error(`Privacy Desk could not start: ${error.message}`);
  process.exit(1);
});
