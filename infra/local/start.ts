/**
 * `npm start`: the whole system on this machine. Ports from PORT (3000), MAIL_PORT (8005),
 * DYNAMODB_PORT (8000), SFN_PORT (8083), S3_PORT (4569); data under DATA_DIR (.data/).
 */
import { DataDirError, setAsideDataDir, startLocalStack } from "./runtime.js";

const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number, not "${process.env[name]}"`);
    process.exit(2);
  }
  return value;
};

const dataDir = process.env.DATA_DIR ?? ".data";
const options = {
  dataDir,
  ports: {
    api: port("PORT", 3000),
    mail: port("MAIL_PORT", 8005),
    dynamodb: port("DYNAMODB_PORT", 8000),
    sfn: port("SFN_PORT", 8083),
    s3: port("S3_PORT", 4569),
  },
};

async function main() {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack(options);
  } catch (error) {
    const message = (error as Error).message;
    if (!(error instanceof DataDirError)) {
      console.error(`Privacy Desk could not start: ${message}`);
      process.exit(1);
    }
    console.warn(
      `warning: could not open ${dataDir} (${message}); setting it aside and starting fresh`,
    );
    console.warn(`warning: the old data is in ${setAsideDataDir(dataDir)}`);
    stack = await startLocalStack(options);
  }
  console.log(
    [
      "Privacy Desk is running locally:",
      `  API              ${stack.urls.api}   (GET /health)`,
      `  Mail (SES)       ${stack.urls.mail}   (every mail sent; /store as JSON)`,
      `  DynamoDB         ${stack.urls.dynamodb}`,
      `  Step Functions   ${stack.urls.sfn}`,
      `  S3               ${stack.urls.s3}`,
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
