/**
 * Load-balancing policies as pure choices: given the instances a request may go to, with the
 * requests each has in flight from this gateway and its concurrency limit, and the request's
 * affinity key, which one, or none when every instance is full. Round robin and random do not see
 * load; least outstanding requests with two random choices does, at the cost of two reads;
 * consistent hashing with bounded loads keeps a key on one instance while that instance carries at
 * most (1 + ε) times the mean, and moves it to the next one on the ring otherwise (Mirrokni, Thorup
 * and Zadimoghaddam). Each route names its policy in configuration ({@code
 * faultline.gateway.routes.<route>.policy}).
 */
@NullMarked
package dev.faultline.gateway.balancing.policy;

import org.jspecify.annotations.NullMarked;
