/** POST /officer/requests/{id}/assignment — who has the request (deadline reminders go to them). */
import { assignmentSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerAssign } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "officer", body: assignmentSchema },
  ({ id, actor, body }) => officerAssign(deps(), id, actor, body.assignee),
);
