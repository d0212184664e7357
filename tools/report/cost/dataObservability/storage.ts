/**
 * S3: storage per bucket by its role (usage-based sizes), split by the lifecycle's storage classes in the
 * steady state, requests, and replication (inter-region transfer, plus Replication Time Control per GB
 * when the rule enables it). Object Lock, versioning and the bucket's other settings cost nothing themselves.
 * @see https://aws.amazon.com/s3/pricing/
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
 */
import type { PlannedResource } from "../../../offline";
import { regionOf, type PricedItem, type PricingContext } from "../index";
import { list, perPlan, rec, usageItem } from "./common";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
const LIFECYCLE = ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"];

/** The usage key sizing a bucket, from its role in the name (log buckets first: "audit-access-logs" holds access logs). */
export function bucketSizeKey(r: PlannedResource): string {
    const name = `${typeof r.props.bucket === "string" ? r.props.bucket : ""} ${r.name}`;
    if (/access-logs/.test(name)) return "s3.accessLogsGb";
    if (/alb-logs/.test(name)) return "s3.albLogsGb";
    if (/audit/.test(name)) return "s3.auditGb";
    if (/documents/.test(name)) return "s3.documentsGb";
    return "s3.otherGb";
}

const CLASS_KEYS: Record<string, string> = {
    STANDARD_IA: "s3.storage.standardIa",
    ONEZONE_IA: "s3.storage.oneZoneIa",
    GLACIER_IR: "s3.storage.glacierInstant",
    GLACIER: "s3.storage.glacier",
    DEEP_ARCHIVE: "s3.storage.deepArchive",
    INTELLIGENT_TIERING: "s3.storage.intelligentTiering",
};

/** Lifecycle configurations by the URN (or physical name) of the bucket they depend on: one pass per plan. */
const lifecycleByBucket = perPlan((resources) => {
    const buckets = new Set(resources.filter((r) => r.type === BUCKET || r.type === BUCKET_V2).map((r) => r.urn));
    const index = new Map<string, PlannedResource>();
    for (const r of resources) {
        if (!LIFECYCLE.includes(r.type)) continue;
        for (const d of r.dependencies) if (buckets.has(d)) index.set(d, r);
        if (typeof r.props.bucket === "string") index.set(r.props.bucket, r);
    }
    return index;
});

/**
 * The steady-state share of a bucket's objects in each storage class: an object moved to class C after
 * `t` days and expired after `e` days spends t/e of its life in Standard. Without an expiry the split is
 * unknown: all Standard (stated on the line).
 */
export function storageClassShares(lifecycle: PlannedResource | undefined): { cls: string; share: number }[] {
    for (const rule of list(lifecycle?.props.rules).map(rec)) {
        if (rule.status !== "Enabled") continue;
        const transition = list(rule.transitions).map(rec)[0];
        const expiry = rec(rule.expiration).days;
        if (
            transition &&
            typeof transition.days === "number" &&
            typeof expiry === "number" &&
            expiry > transition.days &&
            typeof transition.storageClass === "string"
        ) {
            const standard = transition.days / expiry;
            return [
                { cls: "STANDARD", share: standard },
                { cls: transition.storageClass, share: 1 - standard },
            ];
        }
    }
    return [{ cls: "STANDARD", share: 1 }];
}

export function priceBucket(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const sizeKey = bucketSizeKey(r);
    const shares = storageClassShares(lifecycleByBucket(ctx).get(r.urn) ?? lifecycleByBucket(ctx).get(String(r.props.bucket)));
    const items = shares.map(({ cls, share }) =>
        usageItem(r, ctx, sizeKey, {
            item: shares.length > 1 ? `storage, ${cls} (${Math.round(share * 100)}% of objects in the lifecycle's steady state)` : "storage, STANDARD",
            unit: "GB-month",
            priceKey: cls === "STANDARD" ? "s3.storage.standard" : (CLASS_KEYS[cls] ?? `s3.storage.${cls}`),
            category: "storage",
            quantity: (gb) => gb * share,
        }),
    );
    items.push(
        usageItem(r, ctx, "s3.putRequestsThousands", {
            item: "PUT, COPY, POST, LIST requests",
            unit: "1k requests",
            priceKey: "s3.requests.put",
            category: "storage",
        }),
        usageItem(r, ctx, "s3.getRequestsThousands", { item: "GET and other requests", unit: "1k requests", priceKey: "s3.requests.get", category: "storage" }),
    );
    return items;
}

/** Buckets by physical name, to find a replication rule's destination (and its region) in the plan. */
const bucketsByName = perPlan(
    (resources) => new Map(resources.filter((r) => r.type === BUCKET || r.type === BUCKET_V2).map((r) => [String(r.props.bucket), r])),
);

export function priceReplication(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const source = regionOf(r, ctx.byUrn, ctx.region);
    const items: PricedItem[] = [];
    for (const rule of list(r.props.rules).map(rec)) {
        if (rule.status !== "Enabled") continue;
        const destination = rec(rule.destination);
        const arn = typeof destination.bucket === "string" ? destination.bucket : "";
        const target = bucketsByName(ctx).get(arn.replace(/^arn:aws[\w-]*:s3:::/, ""));
        const targetRegion = target ? regionOf(target, ctx.byUrn, ctx.region) : undefined;
        const id = typeof rule.id === "string" ? rule.id : "rule";
        if (targetRegion !== source) {
            items.push(
                usageItem(r, ctx, "s3.replicatedGbPerMonth", {
                    item: `${id}: replication to ${targetRegion ?? "another region"} (inter-region transfer)`,
                    unit: "GB",
                    priceKey: "transfer.interRegion.replication",
                    category: "dr-replication",
                    ...(targetRegion ? {} : { note: "destination bucket not in this plan: assumed in another region" }),
                }),
            );
        }
        if (rec(destination.replicationTime).status === "Enabled") {
            items.push(
                usageItem(r, ctx, "s3.replicatedGbPerMonth", {
                    item: `${id}: Replication Time Control (15-minute SLA)`,
                    unit: "GB",
                    priceKey: "s3.replicationTimeControl",
                    category: "dr-replication",
                }),
            );
        }
    }
    return items;
}
