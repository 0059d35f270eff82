package io.oe.schemas.serde;

/**
 * The wire format in use in this process. Set once at start-up, before any client is created (a service with a
 * registry would call {@link #use} from its start-up code with a {@link RegistryFramedFormat} over its registry client).
 */
public final class WireFormats {
    private static volatile WireFormat current = new SingleObjectFormat();

    private WireFormats() {
    }

    public static WireFormat current() {
        return current;
    }

    public static void use(WireFormat format) {
        current = format;
    }
}
