/**
 * The Alertmanager definition AMP takes: `severity: critical` pages (the on-call topic, PagerDuty), `severity: warning`
 * opens a ticket (the ticket topic, e-mail); alerts grouped per alert and service; a page inhibits the ticket of the
 * same alert and service. Pure; tested with the real `amtool check-config` (tests/model/promtool.test.ts).
 *
 * AMP's rules for this file (checked in the tests):
 * - the whole Alertmanager configuration is the string under `alertmanager_config:`, templates under `template_files:`
 *   @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-config.html
 * - SNS is the only receiver; `api_url` and `http_config` are refused; `sigv4` must name a region
 *   @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-config.html
 * - the subject is cut at 100 characters and replaced when it holds non-ASCII or control characters
 *   @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-validation-truncation.html
 * - repeat_interval is capped at five days (AMP-alertmanager-config.html)
 */
import { stringify } from "yaml";

export interface AlertmanagerTargets {
    /** The on-call topic (PagerDuty): `severity: critical`. */
    readonly pageTopicArn: string;
    /** The ticket topic (e-mail): `severity: warning`. */
    readonly ticketTopicArn: string;
    /** The topics' region (SigV4 signs for it; AMP publishes only to topics of its own account). */
    readonly region: string;
}

/** Receiver names, as the route tree and the tests name them. */
export const RECEIVERS = { page: "page-on-call", ticket: "ticket" } as const;

/** A subject AMP keeps whole: ASCII, no newline, under 100 characters for any alert name the rules define. */
export const SNS_SUBJECT = "[{{ .Status | toUpper }}] {{ .CommonLabels.severity }}: {{ .GroupLabels.alertname }}";

const sns = (topicArn: string, region: string, severity: string) => ({
    topic_arn: topicArn,
    sigv4: { region },
    subject: SNS_SUBJECT,
    // Message attributes let an SNS subscription filter policy pick by severity (e.g. a chat channel for tickets).
    attributes: { severity, source: "amp-alertmanager" },
});

/** The inner Alertmanager configuration (what `amtool check-config` reads). */
export function alertmanagerConfig(t: AlertmanagerTargets): Record<string, unknown> {
    return {
        route: {
            // An alert without a known severity pages: a missing label must not silence it.
            receiver: RECEIVERS.page,
            group_by: ["alertname", "service"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                { receiver: RECEIVERS.page, matchers: ['severity="critical"'], repeat_interval: "1h" },
                // Tickets repeat daily, under AMP's five-day cap.
                { receiver: RECEIVERS.ticket, matchers: ['severity="warning"'], repeat_interval: "24h" },
            ],
        },
        inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["alertname", "service"] }],
        receivers: [
            { name: RECEIVERS.page, sns_configs: [sns(t.pageTopicArn, t.region, "critical")] },
            { name: RECEIVERS.ticket, sns_configs: [sns(t.ticketTopicArn, t.region, "warning")] },
        ],
    };
}

/**
 * The SNS message body: one line per alert with its summary (the rules' `summary` annotation) instead of Alertmanager's
 * default dump of every label, so the page or the ticket says what broke. Replaces the SNS receiver's default template.
 * @see https://prometheus.io/docs/alerting/latest/notifications/
 */
export const MESSAGE_TEMPLATE = [
    '{{ define "sns.default.message" }}{{ .Status | toUpper }} {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }}), {{ len .Alerts }} alert(s)',
    "{{ range .Alerts }}- {{ .Annotations.summary }} (since {{ .StartsAt }})",
    "{{ end }}{{ end }}",
].join("\n");

/** AMP's definition document: the templates under `template_files`, the configuration as a string under `alertmanager_config`. */
export function alertmanagerDefinition(t: AlertmanagerTargets): string {
    return stringify(
        { template_files: { default_template: MESSAGE_TEMPLATE }, alertmanager_config: stringify(alertmanagerConfig(t), { lineWidth: 0 }) },
        { lineWidth: 0, blockQuote: "literal" },
    );
}
