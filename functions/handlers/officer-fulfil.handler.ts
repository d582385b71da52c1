/** POST /officer/requests/{id}/fulfilment — record the response. */
import { fulfilmentSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerFulfil } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "officer", body: fulfilmentSchema },
  ({ id, actor, body }) => officerFulfil(deps(), id, actor, body),
);
