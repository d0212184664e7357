/** What every step of an `AppCluster` shares besides its parent and name. */
export interface StepScope {
    /** The stack name: the prefix of physical names (roles, repositories, node groups, the ALB, the WAF). */
    readonly stack: string;
    /** Tags for the AWS resources, on top of the provider's default tags. */
    readonly tags?: Record<string, string>;
}
