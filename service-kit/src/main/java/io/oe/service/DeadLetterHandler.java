package io.oe.service;

import io.oe.events.DeadLetterStage;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The Kafka Streams side of {@link DeadLetters}: a record that does not decode, one whose processing throws, and an
 * output the broker refuses (too large, say) are set aside and the stream thread goes on with the next record.
 * Kafka's defaults would stop the thread instead (and a restarted service would read the same record again: a crash
 * loop). {@link StreamsApp} installs it for every stream of every service.
 *
 * <p>The dead letter is published by its own producer, outside the stream's transaction: if the task then aborts,
 * the record is set aside again when it is processed again (at least once on {@code dead-letters}).
 */
public class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    /** Streams configuration entries that hand the handler its publisher and the service's name. */
    static final String DEAD_LETTERS_CONFIG = "oe.dead-letters";
    static final String SERVICE_CONFIG = "oe.service";

    private DeadLetters deadLetters;
    private String service;

    @Override
    public void configure(Map<String, ?> configs) {
        this.deadLetters = (DeadLetters) configs.get(DEAD_LETTERS_CONFIG);
        this.service = String.valueOf(configs.get(SERVICE_CONFIG));
        if (deadLetters == null) {
            throw new IllegalStateException(DEAD_LETTERS_CONFIG + " is not set: build Kafka Streams through StreamsApp");
        }
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        deadLetters.setAside(new DeadLetters.Source(service, DeadLetterStage.DECODING, record.topic(), record.partition(),
                record.offset(), null, record.key(), record.value()), exception);
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        deadLetters.setAside(new DeadLetters.Source(service, DeadLetterStage.PROCESSING, topicOf(context),
                context.partition(), context.offset(), null, context.sourceRawKey(), context.sourceRawValue()), exception);
        return ProcessingHandlerResponse.CONTINUE;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        deadLetters.setAside(new DeadLetters.Source(service, DeadLetterStage.PUBLISHING, topicOf(context),
                context.partition(), context.offset(), record.topic(), record.key(), record.value()), exception);
        return ProductionExceptionHandlerResponse.CONTINUE;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        byte[] key = record.key() instanceof String s ? new StringSerializer().serialize(record.topic(), s) : null;
        deadLetters.setAside(new DeadLetters.Source(service, DeadLetterStage.PUBLISHING, topicOf(context),
                context.partition(), context.offset(), record.topic(), key, null), exception);
        return ProductionExceptionHandlerResponse.CONTINUE;
    }

    /** A punctuation (a timer) has no source record: it is named by its processor. */
    private static String topicOf(ErrorHandlerContext context) {
        return context.topic() != null ? context.topic() : "punctuation:" + context.processorNodeId();
    }
}
