/**
 * On-prem cluster step (seed 1.2: OpenShift or Rancher on site): the Kubernetes provider for the site's own
 * cluster, when the stack has an on-prem section and a kubeconfig. Its own step, so that everything that runs on
 * both clusters (the workloads, the mesh, the monitoring collectors) takes the same provider.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../model/appConfig";

export interface OnPremClusterArgs {
    readonly app: AppConfig;
    /** The site's kubeconfig (a secret). @default none: nothing is planned on-prem */
    readonly onPremKubeconfig?: pulumi.Input<string>;
}

export interface OnPremCluster {
    /** Server-side apply, like the EKS provider; absent without `app.onPrem` and a kubeconfig. */
    readonly provider?: k8s.Provider;
}

export function createOnPremCluster(parent: pulumi.ComponentResource, name: string, args: OnPremClusterArgs): OnPremCluster {
    if (!args.app.onPrem || args.onPremKubeconfig === undefined) return {};
    // The name is the one the workloads step gave it before this step existed: same URN, no replacement.
    return { provider: new k8s.Provider(`${name}-onprem`, { kubeconfig: args.onPremKubeconfig, enableServerSideApply: true }, { parent }) };
}
