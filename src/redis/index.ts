/** What other layers use of src/redis/: nodes/ and credentials/ import it only through this file. */
export { closeRedisClients, describeRedisProblem, dropRedisClient, lastRedisError, redisClient, redisIdentity } from './redis-clients';
