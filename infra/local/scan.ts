/**
 * `npm run scan -- --at 2027-01-12T09:00:00+13:00`: one deadline scan of the running local stack
 * as if the EventBridge schedule fired at that instant (default: now). Reminders appear on the
 * mail page. Talks to `npm start` on PORT (3000).
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { at: { type: "string" } } });
const port = process.env.PORT ?? "3000";
const url = `http://127.0.0.1:${port}/_local/scan`;

try {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(values.at ? { at: values.at } : {}),
  });
  const body = await response.text();
  if (!response.ok) {
    console.error(`scan refused (${response.status}): ${body}`);
    process.exit(2);
  }
  console.log(body);
} catch {
  console.error(`Nothing answered at ${url}: is \`npm start\` running (PORT=${port})?`);
  process.exit(1);
}
