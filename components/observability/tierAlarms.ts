import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds, defaultThresholds } from "../../model/alarms";
import { validateArgs } from "../argErrors";
import { AlertingArgs, ticketTopicArgs } from "./alerting";
import { AlertTopic } from "./alertTopic";
import { AlarmTargets } from "./observabilityArgs";
import { createServiceAlarms } from "./serviceAlarms";

export interface TierAlarmsArgs extends AlertingArgs {
    /** The stack's on-call topic (severity `page`), in this region. Required. */
    readonly pageTopicArn: pulumi.Input<string>;
    /** What to alarm on (see AlarmTargets). Required. */
    readonly targets: AlarmTargets;
    /** @default model/defaults.ts (observability, observability.alarms, dr.replicaLagAlarmSeconds) */
    readonly thresholds?: Partial<AlarmThresholds>;
}

/**
 * The alarms on every tier for a stack without an Observability component (dr, seed 3): the catalogue's alarms
 * (model/alarms.ts) on its resources, `page` to the stack's on-call topic and `ticket` to a ticket topic of its own.
 */
export class TierAlarms extends pulumi.ComponentResource {
    readonly ticketTopicArn: pulumi.Output<string>;

    constructor(name: string, args: TierAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`TierAlarms ${name}`, (e) => {
            e.check(
                args.email !== undefined || args.pagerDutyEndpoint !== undefined,
                "email",
                "needs an email or a pagerDutyEndpoint (no one would get tickets)",
            );
        });
        super("hybrid:observability:TierAlarms", name, {}, opts);
        // AMP may publish warnings here (the DR workspace's Alertmanager: components/observability/metricsWorkspace.ts).
        const tickets = new AlertTopic(`${name}-ticket-alerts`, ticketTopicArgs(args, ["aps.amazonaws.com"]), { parent: this });
        createServiceAlarms(this, name, {
            targets: args.targets,
            thresholds: { ...defaultThresholds(), ...args.thresholds },
            topics: { page: args.pageTopicArn, ticket: tickets.topicArn },
        });
        this.ticketTopicArn = tickets.topicArn;
        this.registerOutputs({ ticketTopicArn: this.ticketTopicArn });
    }
}
