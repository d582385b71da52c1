/** GET /officer/requests — the queue, soonest due first. */
import { queueQuerySchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerQueue } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer", query: queueQuerySchema }, ({ query }) =>
  officerQueue(deps(), query),
);
