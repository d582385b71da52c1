/** GET /officer/requests/{id} — everything, with the full history. */
import { apiHandler } from "../http/api-handler.js";
import { officerGetRequest } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer" }, ({ id }) => officerGetRequest(deps(), id));
