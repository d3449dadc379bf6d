package dev.killswitch.control;

import javax.management.ConstructorParameters;

/** One row of {@link KillswitchMXBean#threads()}; an MXBean maps it to CompositeData. */
public final class ThreadView {
    private final long id;
    private final String name;
    private final String state;
    private final boolean virtual;
    private final boolean inSelectedCode;
    private final String where;

    @ConstructorParameters({"id", "name", "state", "virtual", "inSelectedCode", "where"})
    public ThreadView(long id, String name, String state, boolean virtual, boolean inSelectedCode, String where) {
        this.id = id;
        this.name = name;
        this.state = state;
        this.virtual = virtual;
        this.inSelectedCode = inSelectedCode;
        this.where = where;
    }

    public long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getState() {
        return state;
    }

    public boolean isVirtual() {
        return virtual;
    }

    /** True if a frame of a selected class is on its stack. */
    public boolean isInSelectedCode() {
        return inSelectedCode;
    }

    /** Its innermost selected frame if it has one, else its top frame. */
    public String getWhere() {
        return where;
    }
}
