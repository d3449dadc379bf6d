package dev.killswitch.it.child;

/** Platform or virtual threads; virtual ones through reflection, since this code is compiled for Java 17. */
final class Threads {
    private Threads() {
    }

    static Thread create(String kind, String name, Runnable body) {
        if (kind.equals("platform")) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            return t;
        }
        if (kind.equals("virtual")) {
            try {
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Class<?> builderType = Class.forName("java.lang.Thread$Builder");
                builder = builderType.getMethod("name", String.class).invoke(builder, name);
                return (Thread) builderType.getMethod("unstarted", Runnable.class).invoke(builder, body);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("virtual threads need Java 21 or newer", e);
            }
        }
        throw new IllegalArgumentException("thread kind " + kind);
    }
}
