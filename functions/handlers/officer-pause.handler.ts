/** POST /officer/requests/{id}/pause — stop the clock while waiting on the requester. */
import { pauseSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerPause } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer", body: pauseSchema }, ({ id, actor, body }) =>
  officerPause(deps(), id, actor, body.reason),
);
