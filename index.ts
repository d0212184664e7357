/**
 * Entry point: validates the stack's configuration once, then dispatches to the
 * composition named by its `role` (so a stack such as prod-eu can reuse `prod`).
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { ConfigError, PlatformConfig, loadConfig } from "./model/config";
import { siteValueGateMessage } from "./model/siteValues";
import { drStack } from "./stacks/dr";
import { prodStack } from "./stacks/prod";

const compositions: Record<PlatformConfig["role"], (cfg: PlatformConfig) => Record<string, unknown>> = {
    prod: prodStack,
    dr: drStack,
};

export = async (): Promise<Record<string, unknown>> => {
    let cfg: PlatformConfig;
    const flat = pulumi.runtime.allConfig();
    try {
        cfg = loadConfig(flat);
    } catch (e) {
        // RunError: the CLI prints the one-line message without a stack trace, and nothing is created.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    // A real preview/up (not the offline mocks, which plan with the examples) stops while a site value is an example.
    const pending = pulumi.runtime.getMonitor() instanceof MockMonitor ? undefined : siteValueGateMessage(flat, cfg.role, pulumi.getStack());
    if (pending) throw new pulumi.RunError(pending);
    return compositions[cfg.role](cfg);
};
