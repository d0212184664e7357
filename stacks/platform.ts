/** What every composition shares: the AWS provider for the stack's region, with the tags every resource carries. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, PlatformConfig } from "../model/config";

export function regionalProvider(cfg: PlatformConfig): aws.Provider {
    return new aws.Provider(`aws-${cfg.region}`, {
        region: cfg.region,
        defaultTags: {
            tags: { ...cfg.tags, project: PROJECT, stack: pulumi.getStack(), role: cfg.role, environment: cfg.environment, "managed-by": "pulumi" },
        },
    });
}
