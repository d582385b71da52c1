/** POST /officer/requests/{id}/fee — set a fee, or 0 to waive it. */
import { feeSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerAssessFee } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer", body: feeSchema }, ({ id, actor, body }) =>
  officerAssessFee(deps(), id, actor, body),
);
