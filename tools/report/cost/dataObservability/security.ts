/**
 * KMS keys and requests, Secrets Manager secrets (each replica is billed as a secret) and API calls,
 * CloudTrail (the first copy of management events is free; data events, Insights and further copies are
 * not), and CodeBuild build minutes (delivery).
 * @see https://aws.amazon.com/kms/pricing/
 * @see https://aws.amazon.com/secrets-manager/pricing/
 * @see https://aws.amazon.com/cloudtrail/pricing/
 * @see https://aws.amazon.com/codebuild/pricing/
 */
import type { PlannedResource } from "../../../offline";
import type { PricedItem, PricingContext } from "../index";
import { declaredText, item, list, perPlan, rec, usageItem } from "./common";

/**
 * $1/month per key, primary and each multi-Region replica alike. Automatic rotation adds $1/month for each
 * of the first two rotations (from the first anniversary): the first month's figure is priced.
 */
export const priceKmsKey = (r: PlannedResource, ctx: PricingContext): PricedItem[] => [
    item(r.props.multiRegion === true ? "multi-Region primary key" : "customer managed key", 1, "key-months", "kms.key", "security"),
    usageItem(r, ctx, "kms.requestsPerMonth", {
        item: "requests",
        unit: "10k requests",
        priceKey: "kms.requests",
        category: "security",
        quantity: (n) => n / 1e4,
        note: "the account's 20,000 free requests a month not deducted",
    }),
];

export const priceReplicaKey = (): PricedItem[] => [item("multi-Region replica key", 1, "key-months", "kms.key", "security")];

export function priceSecret(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const replicas = list(r.props.replicas).length;
    return [
        item(
            replicas > 0 ? `secret + ${replicas} replica${replicas > 1 ? "s" : ""} (each billed as a secret)` : "secret",
            1 + replicas,
            "secret-months",
            "secretsmanager.secret",
            "security",
        ),
        usageItem(r, ctx, "secretsmanager.apiCallsPerMonth", {
            item: "API calls",
            unit: "10k calls",
            priceKey: "secretsmanager.apiCalls",
            category: "security",
            quantity: (n) => n / 1e4,
        }),
    ];
}

const TRAIL = "aws:cloudtrail/trail:Trail";

/** The trail that gets the free copy of management events: the first in the plan by URN (AWS frees one copy per account and region). */
const freeTrail = perPlan(
    (resources) =>
        resources
            .filter((r) => r.type === TRAIL && r.props.enableLogging !== false)
            .map((r) => r.urn)
            .sort()[0],
);

/** True when the trail logs data events (advanced selectors with eventCategory Data, or classic data resources). */
export function logsDataEvents(r: PlannedResource): boolean {
    const advanced = list(r.props.advancedEventSelectors).map(rec);
    const dataAdvanced = advanced.some((s) =>
        list(s.fieldSelectors)
            .map(rec)
            .some((f) => f.field === "eventCategory" && list(f.equals).includes("Data")),
    );
    const dataClassic = list(r.props.eventSelectors)
        .map(rec)
        .some((s) => list(s.dataResources).length > 0);
    return dataAdvanced || dataClassic;
}

export function priceTrail(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const items: PricedItem[] = [];
    if (freeTrail(ctx) !== r.urn) {
        items.push(
            usageItem(r, ctx, "cloudtrail.managementEventsPerMonth", {
                item: "management events (a further copy: only the first trail's is free)",
                unit: "100k events",
                priceKey: "cloudtrail.managementEvents",
                category: "security",
                quantity: (n) => n / 1e5,
            }),
        );
    }
    if (logsDataEvents(r)) {
        items.push(
            usageItem(r, ctx, "cloudtrail.dataEventsPerMonth", {
                item: "data events",
                unit: "100k events",
                priceKey: "cloudtrail.dataEvents",
                category: "security",
                quantity: (n) => n / 1e5,
            }),
        );
    }
    for (const s of list(r.props.insightSelectors).map(rec)) {
        const type = typeof s.insightType === "string" ? s.insightType : "Insights";
        items.push(
            usageItem(r, ctx, "cloudtrail.managementEventsPerMonth", {
                item: `Insights: ${type} (events analysed)`,
                unit: "100k events",
                priceKey: "cloudtrail.insights",
                category: "security",
                quantity: (n) => n / 1e5,
            }),
        );
    }
    return items;
}

export function priceCodeBuild(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const env = rec(r.props.environment);
    const compute = declaredText(r, env.computeType, "environment.computeType");
    const os = env.type === "ARM_CONTAINER" ? "arm" : env.type === "WINDOWS_SERVER_2019_CONTAINER" ? "windows" : "linux";
    return [
        usageItem(r, ctx, "codebuild.buildMinutesPerMonth", {
            item: `build minutes (${compute}, ${os})`,
            unit: "build minutes",
            priceKey: `codebuild.${compute}.${os}`,
            category: "delivery",
        }),
    ];
}
