package io.oe.schemas.serde;

import org.apache.avro.Schema;

/**
 * The two calls a registry-framed format needs from a schema registry (Confluent Schema Registry, Apicurio in its
 * Confluent-compatible mode): register a schema under a subject and get its id; look a schema up by id. An adapter
 * over the registry's own client implements it.
 */
public interface SchemaRegistry {
    int register(String subject, Schema schema);

    Schema byId(int id);
}
