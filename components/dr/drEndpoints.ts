/**
 * The DR data side as one `DataEndpoints` (components/data/endpoints.ts): the replica's database and
 * documents, the warm cache's Redis. The dr stack hands this to AppCluster as prod hands DataTier's.
 */
import { POSTGRES_PORT } from "../../model/ports";
import { DataEndpoints, dataEndpoints } from "../data/endpoints";
import { DrReplica } from "./drReplica";
import { WarmCache } from "./warmCache";

/** `region` is the DR region: the runtime's keys are used through its Secrets Manager and S3 only. */
export function drDataEndpoints(replica: DrReplica, cache: WarmCache, region: string): DataEndpoints {
    return dataEndpoints({
        databaseHost: replica.databaseAddress,
        databasePort: POSTGRES_PORT,
        redisHost: cache.configurationEndpoint,
        redisPort: cache.port,
        databaseSecretArn: replica.databaseSecretArn,
        redisAuthSecretArn: cache.authSecretArn,
        documentsBucketName: replica.documentsBucketName,
        documentsBucketArn: replica.documentsBucketArn,
        // The replica's client group: the warm cache admits the same group.
        clientSecurityGroupId: replica.clientSecurityGroupId,
        region,
        documentsKeyArn: replica.documentsKeyArn,
        // The secret replica's key (prod's, in this region) and the cache secret's.
        secretsKeyArns: [replica.databaseSecretKeyArn, cache.secretsKeyArn],
    });
}
