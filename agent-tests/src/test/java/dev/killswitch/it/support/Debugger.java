package dev.killswitch.it.support;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.Bootstrap;
import com.sun.jdi.ClassObjectReference;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.MethodExitRequest;
import com.sun.jdi.request.ThreadDeathRequest;
import dev.killswitch.testsupport.ChildJvm;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK's own debugger interface (JDI) attached to a child JVM started with {@link #JDWP}: it stops chosen threads
 * at chosen places in the runtime, so that a test can put two threads in the one order in which a race between them
 * shows, every time, rather than hoping the scheduler does. While attached, the threads it watches run interpreted
 * code where it asked for events; closing it ends every request and lets every thread go on.
 */
public final class Debugger implements AutoCloseable {
    /** The JVM option that opens the debugger's socket on a free port (printed on standard output). */
    public static final String JDWP = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0";
    private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");
    private static final long WAIT_MILLIS = Duration.ofSeconds(30).toMillis();

    private final VirtualMachine vm;

    private Debugger(VirtualMachine vm) {
        this.vm = vm;
    }

    /** Attaches to a child started with {@link #JDWP}. */
    public static Debugger attach(ChildJvm child) throws IOException, IllegalConnectorArgumentsException {
        String port = child.stdout().stream().map(LISTENING::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("the child did not open a debugger socket:\n" + child.describe()));
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
        Map<String, Connector.Argument> args = socket.defaultArguments();
        args.get("hostname").setValue("127.0.0.1");
        args.get("port").setValue(port);
        return new Debugger(socket.attach(args));
    }

    /** The one method of that name in that (loaded) class. */
    public Method method(String className, String name) {
        List<Method> found = type(className).methodsByName(name);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " methods named " + name + " in " + className);
        }
        return found.get(0);
    }

    /** The methods of that (loaded) class whose names start so. */
    public List<Method> methodsStarting(String className, String prefix) {
        List<Method> found = new ArrayList<>();
        for (Method m : type(className).methods()) {
            if (m.name().startsWith(prefix)) {
                found.add(m);
            }
        }
        return found;
    }

    /** Stops the thread that next enters the method, at its first instruction, until {@link ThreadReference#resume}. */
    public EventRequest stopAtEntry(Method method) {
        EventRequest request = vm.eventRequestManager().createBreakpointRequest(method.location());
        request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        request.enable();
        return request;
    }

    /** Stops {@code thread} when it next returns from any method of the given classes. */
    public List<MethodExitRequest> stopAtNextReturn(ThreadReference thread, String... classNames) {
        List<MethodExitRequest> requests = new ArrayList<>();
        for (String className : classNames) {
            MethodExitRequest request = vm.eventRequestManager().createMethodExitRequest();
            request.addThreadFilter(thread);
            request.addClassFilter(className);
            request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            request.enable();
            requests.add(request);
        }
        return requests;
    }

    /** Tells {@link #next} when {@code thread} ends. */
    public EventRequest watchEnd(ThreadReference thread) {
        ThreadDeathRequest request = vm.eventRequestManager().createThreadDeathRequest();
        request.addThreadFilter(thread);
        request.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        request.enable();
        return request;
    }

    /**
     * Waits for the next event of these requests: a thread reached a stopping place (and stays stopped), or a watched
     * thread ended.
     */
    public Event next() throws InterruptedException {
        long end = System.currentTimeMillis() + WAIT_MILLIS;
        for (long left; (left = end - System.currentTimeMillis()) > 0; ) {
            EventSet set = vm.eventQueue().remove(left);
            if (set == null) {
                break;
            }
            for (Event e : set) {
                if (e instanceof LocatableEvent || e instanceof ThreadDeathEvent) {
                    return e;
                }
            }
            set.resume(); // the VM's own events (its start, say): nothing is stopped for them
        }
        throw new AssertionError("no thread reached a stopping place within " + WAIT_MILLIS + " ms");
    }

    /** Ends a request: no thread stops there any more. */
    public void cancel(EventRequest request) {
        vm.eventRequestManager().deleteEventRequest(request);
    }

    /** True if {@code thread} (stopped) holds the lock of one of these classes' class objects. */
    public boolean holdsClassLock(ThreadReference thread, String... classNames) throws IncompatibleThreadStateException {
        for (ObjectReference monitor : thread.ownedMonitors()) {
            if (monitor instanceof ClassObjectReference
                    && List.of(classNames).contains(((ClassObjectReference) monitor).reflectedType().name())) {
                return true;
            }
        }
        return false;
    }

    /** The length of a static array field of a loaded class, read while the program runs on. */
    public int staticArrayLength(String className, String field) {
        ReferenceType type = type(className);
        ArrayReference array = (ArrayReference) type.getValue(type.fieldByName(field));
        return array.length();
    }

    private ReferenceType type(String className) {
        List<ReferenceType> types = vm.classesByName(className);
        if (types.isEmpty()) {
            throw new AssertionError("class not loaded in the child: " + className);
        }
        return types.get(0);
    }

    /** Detaches: every request ends and every stopped thread goes on. */
    @Override
    public void close() {
        vm.dispose();
    }
}
