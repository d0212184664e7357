/**
 * RDS, ElastiCache and OpenSearch: the declared sizes (instance classes and counts, storage) priced at
 * the table's rates, plus their usage-based parts (backups beyond the free allowance, the replica's stream).
 * @see https://aws.amazon.com/rds/postgresql/pricing/
 * @see https://aws.amazon.com/elasticache/pricing/
 * @see https://aws.amazon.com/opensearch-service/pricing/
 */
import type { PlannedResource } from "../../../offline";
import type { PricedItem, PricingContext } from "../index";
import { declared, declaredText, HOURS_PER_MONTH, item, rec, SECONDS_PER_MONTH, usageItem } from "./common";

/**
 * gp3 baseline RDS includes: 3,000 IOPS / 125 MiB/s below 400 GB, 12,000 IOPS / 500 MiB/s from 400 GB
 * (PostgreSQL, striped over four volumes); only what is provisioned above it is billed.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage
 */
export function rdsGp3Baseline(storageGb: number): { iops: number; throughputMiBps: number } {
    return storageGb >= 400 ? { iops: 12000, throughputMiBps: 500 } : { iops: 3000, throughputMiBps: 125 };
}

/** Performance Insights' 7 days of history are free (Database Insights standard mode); longer retention is paid per vCPU. */
export const FREE_PERFORMANCE_INSIGHTS_DAYS = 7;

export function priceRdsInstance(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const p = r.props;
    const cls = declaredText(r, p.instanceClass, "instanceClass");
    const multiAz = p.multiAz === true;
    const az = multiAz ? "multiAz" : "singleAz";
    const replica = typeof p.replicateSourceDb === "string" && p.replicateSourceDb !== "";
    const items: PricedItem[] = [
        item(`instance ${cls} (${multiAz ? "Multi-AZ: primary + standby" : "Single-AZ"})`, HOURS_PER_MONTH, "hours", `rds.instance.${cls}.${az}`, "database"),
    ];
    // A replica's storage is its source's (allocatedStorage absent in this stack): stated, overridable.
    const replicaStorage = replica && p.allocatedStorage === undefined ? ctx.usage(r, "rds.replicaStorageGb") : undefined;
    const storageGb = replicaStorage ? replicaStorage.value : declared(r, p.allocatedStorage, "allocatedStorage");
    const storageType = declaredText(r, p.storageType, "storageType", "gp2");
    items.push({
        item: `${storageType} storage${multiAz ? " (Multi-AZ: billed for both copies)" : ""}`,
        quantity: storageGb,
        unit: "GB-month",
        priceKey: `rds.storage.${storageType}.${az}`,
        category: "database",
        ...(replicaStorage ? { assumption: replicaStorage.assumption } : {}),
    });
    if (storageType === "gp3") {
        const base = rdsGp3Baseline(storageGb);
        const iops = declared(r, p.iops, "iops", base.iops);
        const throughput = declared(r, p.storageThroughput, "storageThroughput", base.throughputMiBps);
        if (iops > base.iops) items.push(item(`gp3 IOPS above the ${base.iops} baseline`, iops - base.iops, "IOPS-month", `rds.gp3.iops.${az}`, "database"));
        if (throughput > base.throughputMiBps)
            items.push(
                item(
                    `gp3 throughput above ${base.throughputMiBps} MiB/s`,
                    throughput - base.throughputMiBps,
                    "MiBps-month",
                    `rds.gp3.throughput.${az}`,
                    "database",
                ),
            );
    } else if (storageType === "io1" || storageType === "io2") {
        items.push(item(`${storageType} provisioned IOPS`, declared(r, p.iops, "iops"), "IOPS-month", `rds.${storageType}.iops.${az}`, "database"));
    }
    const retention = declared(r, p.backupRetentionPeriod, "backupRetentionPeriod", 1);
    if (retention > 0) {
        items.push(
            usageItem(r, ctx, "rds.changedPercentPerDay", {
                item: `backup storage beyond the free 100% of storage (${retention}-day retention)`,
                unit: "GB-month",
                priceKey: "rds.backup",
                category: "database",
                quantity: (pct) => (storageGb * pct * retention) / 100,
            }),
        );
    }
    const piDays = declared(r, p.performanceInsightsRetentionPeriod, "performanceInsightsRetentionPeriod", FREE_PERFORMANCE_INSIGHTS_DAYS);
    if (p.performanceInsightsEnabled === true && piDays > FREE_PERFORMANCE_INSIGHTS_DAYS) {
        // Priced per vCPU-month by class: a key the table may not have is reported unpriced, not zero.
        items.push(item(`Performance Insights ${piDays}-day retention`, 1, "instance-month", `rds.performanceInsights.${cls}`, "database"));
    }
    const interval = declared(r, p.monitoringInterval, "monitoringInterval", 0);
    if (interval > 0) {
        items.push(
            usageItem(r, ctx, "rds.enhancedMonitoringKbPerSample", {
                item: `Enhanced Monitoring every ${interval} s (CloudWatch Logs ingestion)`,
                unit: "GB",
                priceKey: "cloudwatch.logs.ingest.standard",
                category: "observability",
                quantity: (kb) => ((SECONDS_PER_MONTH / interval) * kb) / 1e6,
            }),
        );
    }
    if (replica) {
        items.push(
            usageItem(r, ctx, "transfer.interRegionGbPerMonth", {
                item: "replication stream from the source region (inter-region transfer)",
                unit: "GB",
                priceKey: "transfer.interRegion.replication",
                category: "dr-replication",
                note: "billed by the source region at its inter-region rate",
            }),
        );
    }
    return items;
}

/** Node count of a replication group: shards x (1 + replicas) in cluster mode, else numCacheClusters. */
export function cacheNodeCount(r: PlannedResource): number {
    const p = r.props;
    if (p.numNodeGroups !== undefined || p.replicasPerNodeGroup !== undefined) {
        return declared(r, p.numNodeGroups, "numNodeGroups", 1) * (1 + declared(r, p.replicasPerNodeGroup, "replicasPerNodeGroup", 0));
    }
    return declared(r, p.numCacheClusters, "numCacheClusters", 1);
}

export function priceReplicationGroup(r: PlannedResource, ctx: PricingContext): PricedItem[] {
    const p = r.props;
    const nodeType = declaredText(r, p.nodeType, "nodeType");
    // Valkey nodes list ~20% below Redis OSS: the engine picks the price key.
    const engine = declaredText(r, p.engine, "engine", "redis");
    const nodes = cacheNodeCount(r);
    const items: PricedItem[] = [
        item(`${nodes} x ${nodeType} nodes (${engine})`, nodes * HOURS_PER_MONTH, "node-hours", `elasticache.node.${nodeType}.${engine}`, "cache"),
    ];
    const retention = declared(r, p.snapshotRetentionLimit, "snapshotRetentionLimit", 0);
    if (retention > 1) {
        items.push(
            usageItem(r, ctx, "elasticache.datasetGb", {
                item: `snapshots beyond the one free (${retention}-day retention)`,
                unit: "GB-month",
                priceKey: "elasticache.backup",
                category: "cache",
                quantity: (gb) => gb * (retention - 1),
            }),
        );
    }
    return items;
}

export function priceOpenSearchDomain(r: PlannedResource): PricedItem[] {
    const cluster = rec(r.props.clusterConfig);
    const ebs = rec(r.props.ebsOptions);
    const type = declaredText(r, cluster.instanceType, "clusterConfig.instanceType");
    const count = declared(r, cluster.instanceCount, "clusterConfig.instanceCount", 1);
    const items: PricedItem[] = [
        item(`${count} x ${type} data nodes`, count * HOURS_PER_MONTH, "instance-hours", `opensearch.instance.${type}`, "observability"),
    ];
    if (cluster.dedicatedMasterEnabled === true) {
        const masterType = declaredText(r, cluster.dedicatedMasterType, "clusterConfig.dedicatedMasterType");
        const masters = declared(r, cluster.dedicatedMasterCount, "clusterConfig.dedicatedMasterCount", 3);
        items.push(
            item(
                `${masters} x ${masterType} dedicated masters`,
                masters * HOURS_PER_MONTH,
                "instance-hours",
                `opensearch.instance.${masterType}`,
                "observability",
            ),
        );
    }
    if (cluster.warmEnabled === true) {
        const warmType = declaredText(r, cluster.warmType, "clusterConfig.warmType");
        const warm = declared(r, cluster.warmCount, "clusterConfig.warmCount");
        items.push(item(`${warm} x ${warmType} UltraWarm nodes`, warm * HOURS_PER_MONTH, "instance-hours", `opensearch.instance.${warmType}`, "observability"));
    }
    if (ebs.ebsEnabled === true) {
        const volumeType = declaredText(r, ebs.volumeType, "ebsOptions.volumeType", "gp2");
        const size = declared(r, ebs.volumeSize, "ebsOptions.volumeSize");
        items.push(
            item(`${volumeType} storage, ${size} GB x ${count} data nodes`, size * count, "GB-month", `opensearch.storage.${volumeType}`, "observability"),
        );
        // gp3 includes 3,000 IOPS and 125 MiB/s per volume; what is provisioned above that is billed.
        const iops = declared(r, ebs.iops, "ebsOptions.iops", 3000);
        const throughput = declared(r, ebs.throughput, "ebsOptions.throughput", 125);
        if (volumeType === "gp3" && iops > 3000)
            items.push(item("gp3 IOPS above 3,000 per node", (iops - 3000) * count, "IOPS-month", "opensearch.gp3.iops", "observability"));
        if (volumeType === "gp3" && throughput > 125)
            items.push(
                item("gp3 throughput above 125 MiB/s per node", (throughput - 125) * count, "MiBps-month", "opensearch.gp3.throughput", "observability"),
            );
    }
    return items;
}
