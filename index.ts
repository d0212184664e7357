/**
 * Entry point: validates the stack's configuration once, then dispatches to the
 * composition named by its `role` (so a stack such as prod-eu can reuse `prod`).
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { isBootstrapConfig, loadBootstrapConfig } from "./model/bootstrapConfig";
import { ConfigError, PROJECT, PlatformConfig, loadConfig } from "./model/config";
import { siteValueGateMessage } from "./model/siteValues";
import { bootstrapStack } from "./stacks/bootstrap";
import { drStack } from "./stacks/dr";
import { prodStack } from "./stacks/prod";

const compositions: Record<PlatformConfig["role"], (cfg: PlatformConfig) => Record<string, unknown>> = {
    prod: prodStack,
    dr: drStack,
};

export = async (): Promise<Record<string, unknown>> => {
    // A real preview/up of any role stops, before anything is created, while a site value is still its example
    // (model/siteValues.ts); the offline mocks plan with the examples, which is what they are for.
    const flat = pulumi.runtime.allConfig();
    const pending =
        pulumi.runtime.getMonitor() instanceof MockMonitor ? undefined : siteValueGateMessage(flat, flat[`${PROJECT}:role`] ?? "", pulumi.getStack());
    if (pending) throw new pulumi.RunError(pending);
    let cfg: PlatformConfig;
    try {
        // The account's bootstrap stack has its own schema (none of prod's and dr's sections).
        if (isBootstrapConfig(flat)) return bootstrapStack(loadBootstrapConfig(flat));
        cfg = loadConfig(flat);
    } catch (e) {
        // RunError: the CLI prints the one-line message without a stack trace, and nothing is created.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    return compositions[cfg.role](cfg);
};
