/**
 * Run step: `ansible-playbook site.yml` against the generated inventory, as a `local.Command` on the machine running
 * `pulumi up` (the in-VPC deploy runner: its private subnets reach the on-prem VLANs over the VPN, and the private
 * NACL and the runner's security group admit TCP to network.onPrem.cidrs). The SSH key and the known hosts are written
 * to a private temporary directory for the run only and removed after it; they travel as secret environment values.
 * @see https://www.pulumi.com/registry/packages/command/api-docs/local/command/
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export interface PlaybookRunArgs {
    readonly ansibleDir: string;
    readonly inventory: string;
    readonly version: string;
    readonly sshPrivateKey: pulumi.Input<string>;
    readonly sshKnownHosts: string;
}

/** The script the command runs (bash): nothing secret in it, only in its environment. */
export const RUN_SCRIPT = [
    "set -euo pipefail",
    "umask 077",
    'work="$(mktemp -d)"',
    "trap 'rm -rf \"$work\"' EXIT",
    'printf \'%s\\n\' "$ONPREM_SSH_PRIVATE_KEY" > "$work/key"',
    'printf \'%s\\n\' "$ONPREM_SSH_KNOWN_HOSTS" > "$work/known_hosts"',
    'printf \'%s\' "$ONPREM_INVENTORY" > "$work/inventory.json"',
    'export ANSIBLE_CONFIG="$PWD/ansible.cfg"',
    'export ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$work/known_hosts"',
    'ansible-playbook -i "$work/inventory.json" --private-key "$work/key" site.yml',
].join("\n");

export function createPlaybookRun(parent: pulumi.ComponentResource, name: string, args: PlaybookRunArgs): { readonly run: command.local.Command } {
    const run = new command.local.Command(
        `${name}-playbooks`,
        {
            create: RUN_SCRIPT,
            interpreter: ["/bin/bash", "-c"],
            dir: args.ansibleDir,
            environment: {
                ONPREM_INVENTORY: args.inventory,
                ONPREM_SSH_PRIVATE_KEY: pulumi.secret(args.sshPrivateKey),
                ONPREM_SSH_KNOWN_HOSTS: args.sshKnownHosts,
            },
            // A new version of the playbooks or of the inventory replaces the command: create runs again.
            triggers: [args.version],
            // The previous run's output is no input of the next (it could echo a host's secrets back).
            addPreviousOutputInEnv: false,
        },
        { parent, additionalSecretOutputs: ["stdout", "stderr"] },
    );
    return { run };
}
