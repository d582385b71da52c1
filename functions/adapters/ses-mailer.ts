/** Mailer over SES v2. Logs the request id, template and message id — never an address. */
import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { logInfo } from "../http/log.js";
import type { Mailer, OutboundMail } from "../use-cases/ports.js";

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: { from: string; configurationSet?: string },
  ) {}

  async send(mail: OutboundMail): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.options.from,
        Destination: { ToAddresses: mail.to },
        ...(this.options.configurationSet
          ? { ConfigurationSetName: this.options.configurationSet }
          : {}),
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: "UTF-8" },
            Body: {
              Text: { Data: mail.text, Charset: "UTF-8" },
              ...(mail.html ? { Html: { Data: mail.html, Charset: "UTF-8" } } : {}),
            },
            ...(mail.inReplyTo
              ? {
                  Headers: [
                    { Name: "In-Reply-To", Value: mail.inReplyTo },
                    { Name: "References", Value: mail.inReplyTo },
                  ],
                }
              : {}),
          },
        },
        EmailTags: [{ Name: "template", Value: mail.template }],
      }),
    );
    const messageId = result.MessageId ?? "";
    logInfo("mail-sent", { requestId: mail.requestId, template: mail.template, messageId });
    return { messageId };
  }
}
