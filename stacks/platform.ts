/** What every composition shares: the AWS provider for the stack's region, with the tags every resource carries. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, PlatformConfig } from "../model/config";

function defaultTags(cfg: PlatformConfig) {
    return { tags: { ...cfg.tags, project: PROJECT, stack: pulumi.getStack(), role: cfg.role, environment: cfg.environment, "managed-by": "pulumi" } };
}

export function regionalProvider(cfg: PlatformConfig): aws.Provider {
    return new aws.Provider(`aws-${cfg.region}`, { region: cfg.region, defaultTags: defaultTags(cfg) });
}

/**
 * A provider for the primary region, for the few resources a dr stack owns there (same default tags).
 * Its STS calls go to this stack's region, so a failover `pulumi up` works while the primary region is down
 * (the primary-region resources do not change with drMode, so the update sends them no API call).
 */
export function primaryRegionProvider(cfg: PlatformConfig, primaryRegion: string): aws.Provider {
    return new aws.Provider(`aws-primary-${primaryRegion}`, { region: primaryRegion as aws.Region, stsRegion: cfg.region, defaultTags: defaultTags(cfg) });
}
