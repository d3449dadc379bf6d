package dev.killswitch.config;

/** A configuration the agent cannot use. The message names the problem and where it came from. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
