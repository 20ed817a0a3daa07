/**
 * Event contracts, version 1. Every service that publishes or consumes these depends on this one
 * module; a breaking change gets a new package ({@code v2}) and both are published while consumers
 * move over.
 */
package dev.him.events.v1;
