/** `npm run officer-token -- --email officer@example.com`: a bearer token the local officer routes accept. */
import { parseArgs } from "node:util";
import { loadOfficerKeys, signOfficerToken } from "./officer-keys.js";

const { values } = parseArgs({
  options: { email: { type: "string" }, hours: { type: "string", default: "8" } },
});
if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) {
  console.error("usage: npm run officer-token -- --email officer@example.com");
  process.exit(2);
}
const keys = await loadOfficerKeys(process.env.DATA_DIR ?? ".data");
console.log(await signOfficerToken(keys, values.email, Number(values.hours)));
