/**
 * On-prem hosts (issue #16, seed 1.1, 1.2, 4.3, 5: "Ansible handles on-prem OS-level configuration"): the playbooks of
 * `ansible/` run by the same `pulumi up`, against an inventory generated from the stack config (`onPrem.hosts`), so
 * the DMZ, the host firewalls, the SOC log forwarding and the Kubernetes nodes follow the stack like everything else.
 * What runs where and what the site provides: docs/on-prem-hosts.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { InventoryContext, ON_PREM_GROUPS, OnPremHostsConfig, renderInventory } from "../../model/onPremHosts";
import { validateArgs } from "../argErrors";
import { playbookVersion } from "./playbookHash";
import { createPlaybookRun } from "./playbookRun";

/** The repository's playbooks. */
export const ANSIBLE_DIR = path.resolve(__dirname, "../../ansible");

export interface OnPremHostsArgs {
    /** The `onPrem` config section (model/onPremHosts.ts): hosts by group, SSH user and known hosts, SOC receiver, NTP. Required. */
    readonly onPrem: OnPremHostsConfig;
    /** The rest of the stack's config the playbooks read (portal hostname, VLAN and VPC CIDRs, rate limit). Required. */
    readonly context: InventoryContext;
    /** The SSH private key of `onPrem.sshUser`, a secret (`pulumi config set --secret --path onPrem.sshPrivateKey`). Required. */
    readonly sshPrivateKey: pulumi.Input<string>;
    /**
     * The playbooks' directory (site.yml, ansible.cfg, roles/).
     * @default the repository's `ansible/`
     */
    readonly ansibleDir?: string;
}

export class OnPremHosts extends pulumi.ComponentResource {
    /** sha256 of the playbooks and the inventory the hosts last received: changes exactly when a run is due. */
    readonly appliedVersion: pulumi.Output<string>;
    /** The inventory the playbooks ran with (no secret in it). */
    readonly inventory: string;

    constructor(name: string, args: OnPremHostsArgs, opts?: pulumi.ComponentResourceOptions) {
        const ansibleDir = args.ansibleDir ?? ANSIBLE_DIR;
        validateArgs(`OnPremHosts ${name}`, (e) => {
            e.check(
                ON_PREM_GROUPS.some((g) => args.onPrem.hosts[g].length > 0),
                "onPrem.hosts",
                "has no host (leave onPrem out of the stack config instead)",
            );
            e.check(existsSync(path.join(ansibleDir, "site.yml")), "ansibleDir", `${ansibleDir} holds no site.yml`);
            e.check(args.context.onPremCidrs.length >= 3, "context.onPremCidrs", "needs the application, data and dmz VLANs");
            e.atLeast(args.context.vpcCidrs, 1, "context.vpcCidrs", "VPC CIDRs");
        });
        super("hybrid:onprem:OnPremHosts", name, {}, opts);
        const inventory = renderInventory(args.onPrem, args.context);
        const version = playbookVersion(ansibleDir, inventory);
        const { run } = createPlaybookRun(this, name, {
            ansibleDir,
            inventory,
            version,
            sshPrivateKey: args.sshPrivateKey,
            sshKnownHosts: args.onPrem.sshKnownHosts,
        });
        // The version once the run succeeded (a failed run fails the up, and the output keeps the last applied one).
        this.appliedVersion = pulumi.unsecret(run.stdout.apply(() => version));
        this.inventory = inventory;
        this.registerOutputs({ appliedVersion: this.appliedVersion });
    }
}
