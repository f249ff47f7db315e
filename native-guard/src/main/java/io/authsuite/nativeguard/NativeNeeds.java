package io.authsuite.nativeguard;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * What a native image of the project's code needs registered, derived from its bytecode rather than from a list
 * that can fall behind:
 * <ul>
 *   <li><b>JSON types</b>: the project's classes that Jackson reads or writes. Roots are the entity and return types
 *   of JAX-RS resource methods and REST-client interfaces, every value handed to {@code Response.entity/ok},
 *   {@code RestResponse}, {@code ObjectMapper} / {@code ObjectWriter} / Vert.x {@code Json}, every class named in
 *   {@code readValue(.., X.class)}, {@code convertValue}, {@code readEntity(X.class)}, and every class carrying a
 *   Jackson annotation. Then, transitively, the project types of their fields, record components and getters,
 *   and their project superclasses.</li>
 *   <li><b>Resources</b>: the names (or constant prefixes of names) given to {@code getResource*}.</li>
 * </ul>
 * Only the project's own types count ({@code projectPackage}): Jackson handles JDK types without reflection.
 */
public final class NativeNeeds {

    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
            .stream().map(m -> "Ljakarta/ws/rs/" + m + ";").collect(java.util.stream.Collectors.toSet());
    /** Parameter annotations that make a resource-method parameter something other than the request body. */
    private static final Set<String> NOT_BODY = Set.of("PathParam", "QueryParam", "HeaderParam", "CookieParam",
            "FormParam", "MatrixParam", "BeanParam", "Context", "RestPath", "RestQuery", "RestHeader", "RestCookie",
            "RestForm", "RestMatrix", "Suspended");
    private static final Set<String> COLLECTION_FACTORIES = Set.of("java/util/Map", "java/util/List", "java/util/Set",
            "java/util/Collections", "java/util/Arrays");
    private static final Pattern TYPE_IN_SIGNATURE = Pattern.compile("L([^;<>]+)[;<]");

    private final String projectPackage;
    private final Map<String, ClassNode> classes = new HashMap<>();
    /** JSON type (internal name) → why it is one. */
    private final Map<String, Set<String>> jsonTypes = new TreeMap<>();
    /** Resource name or name prefix → where it is loaded. */
    private final Map<String, Set<String>> resources = new TreeMap<>();

    /** @param projectPackage internal-name prefix of the project's own classes, such as {@code io/authsuite/} */
    public NativeNeeds(String projectPackage) {
        this.projectPackage = projectPackage;
    }

    public void addClass(InputStream classFile) throws IOException {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
        if (node.name.startsWith(projectPackage)) {
            classes.put(node.name, node);
        }
    }

    /** JSON types in dotted form, each with the reasons found for it. */
    public Map<String, Set<String>> jsonTypes() {
        analyse();
        Map<String, Set<String>> dotted = new TreeMap<>();
        jsonTypes.forEach((k, v) -> dotted.put(k.replace('/', '.'), v));
        return dotted;
    }

    /** Resource names, or constant prefixes of names built at run time, with where they are loaded. */
    public Map<String, Set<String>> resources() {
        analyse();
        return resources;
    }

    private boolean analysed;

    private void analyse() {
        if (analysed) {
            return;
        }
        analysed = true;
        for (ClassNode c : classes.values()) {
            if (hasJacksonAnnotation(c)) {
                root(c.name, "carries Jackson annotations");
            }
            boolean restClient = annotated(c.visibleAnnotations, "Lorg/eclipse/microprofile/rest/client/inject/RegisterRestClient;");
            for (MethodNode m : c.methods) {
                if (annotations(m.visibleAnnotations).stream().anyMatch(HTTP_METHODS::contains)) {
                    String where = (restClient ? "REST client " : "resource ") + simple(c.name) + "." + m.name;
                    typesIn(m.signature != null ? returnPart(m.signature) : Type.getReturnType(m.desc).getDescriptor())
                            .forEach(t -> root(t, "returned by " + where));
                    Type[] params = Type.getArgumentTypes(m.desc);
                    for (int i = 0; i < params.length; i++) {
                        if (isBody(m, i)) {
                            typesIn(params[i].getDescriptor()).forEach(t -> root(t, "request body of " + where));
                        }
                    }
                }
            }
        }
        // Values handed to a JSON type become part of its JSON, so each new JSON type can reveal more: repeat.
        int known;
        do {
            known = jsonTypes.size();
            for (ClassNode c : classes.values()) {
                for (MethodNode m : c.methods) {
                    callSites(c, m);
                }
            }
            closeOver();
        } while (jsonTypes.size() != known);
    }

    /** Adds what Jackson walks into from each JSON type: fields, record components, getters, project superclasses. */
    private void closeOver() {
        List<String> work = new ArrayList<>(jsonTypes.keySet());
        while (!work.isEmpty()) {
            String name = work.remove(work.size() - 1);
            ClassNode c = classes.get(name);
            if (c == null) {
                continue;
            }
            Set<String> reached = new LinkedHashSet<>();
            if (c.superName != null) {
                reached.add(c.superName);
            }
            if (c.recordComponents != null) {
                for (RecordComponentNode rc : c.recordComponents) {
                    reached.addAll(typesIn(rc.signature != null ? rc.signature : rc.descriptor));
                }
            }
            for (FieldNode f : c.fields) {
                if ((f.access & (Opcodes.ACC_STATIC | Opcodes.ACC_TRANSIENT)) == 0) {
                    reached.addAll(typesIn(f.signature != null ? f.signature : f.desc));
                }
            }
            for (MethodNode m : c.methods) {
                boolean getter = (m.access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC)) == Opcodes.ACC_PUBLIC
                        && Type.getArgumentTypes(m.desc).length == 0
                        && (m.name.startsWith("get") || m.name.startsWith("is"));
                if (getter) {
                    reached.addAll(typesIn(m.signature != null ? returnPart(m.signature) : Type.getReturnType(m.desc).getDescriptor()));
                }
            }
            for (String t : reached) {
                if (isProject(t) && !jsonTypes.containsKey(t) && classes.containsKey(t)) {
                    work.add(t);
                }
                if (isProject(t) && classes.containsKey(t)) {
                    jsonTypes.computeIfAbsent(t, k -> new LinkedHashSet<>()).add("reached from " + simple(name));
                }
            }
        }
    }

    private void callSites(ClassNode c, MethodNode m) {
        if (m.instructions.size() == 0) {
            return;
        }
        Frame<SourceValue>[] frames = null;
        for (int i = 0; i < m.instructions.size(); i++) {
            if (!(m.instructions.get(i) instanceof MethodInsnNode call)) {
                continue;
            }
            List<Need> needs = needs(call);
            if (needs.isEmpty()) {
                continue;
            }
            if (frames == null) {
                try {
                    frames = new Analyzer<>(new SourceInterpreter()).analyze(c.name, m);
                } catch (AnalyzerException e) {
                    throw new IllegalStateException("cannot analyse " + c.name + "." + m.name, e);
                }
            }
            Frame<SourceValue> frame = frames[i];
            if (frame == null) {
                continue; // unreachable code
            }
            int args = Type.getArgumentTypes(call.desc).length;
            String where = simple(c.name) + "." + m.name;
            for (Need need : needs) {
            SourceValue arg = frame.getStack(frame.getStackSize() - args + need.argument);
            for (AbstractInsnNode source : arg.insns) {
                switch (need.kind) {
                    case VALUE -> valueTypes(c, m, frames, source, 0)
                            .forEach(t -> root(t, need.description + " in " + where));
                    case CLASS -> {
                        if (source instanceof LdcInsnNode ldc && ldc.cst instanceof Type t) {
                            typesIn(t.getDescriptor()).forEach(x -> root(x, need.description + " in " + where));
                        }
                    }
                    case RESOURCE -> resourceName(source, c.name, call.owner.equals("java/lang/Class"))
                            .ifPresent(r -> resources.computeIfAbsent(r, k -> new LinkedHashSet<>()).add(where));
                }
            }
            }
        }
    }

    private enum Kind { VALUE, CLASS, RESOURCE }

    private record Need(Kind kind, int argument, String description) {
    }

    /** The arguments of this call that Jackson or the class loader will act on. */
    private List<Need> needs(MethodInsnNode call) {
        Need need = need(call);
        if (need != null) {
            return List.of(need);
        }
        if (!jsonTypes.containsKey(call.owner)) {
            return List.of();
        }
        // A constructor or method of a JSON type: what it is given becomes part of its JSON (Problem.withDetails).
        List<Need> values = new ArrayList<>();
        Type[] params = Type.getArgumentTypes(call.desc);
        for (int i = 0; i < params.length; i++) {
            if (params[i].getSort() == Type.OBJECT || params[i].getSort() == Type.ARRAY) {
                values.add(new Need(Kind.VALUE, i, "given to " + simple(call.owner)));
            }
        }
        return values;
    }

    /** Which argument of this call Jackson or the class loader will act on, if any. */
    private static Need need(MethodInsnNode call) {
        String o = call.owner;
        String n = call.name;
        boolean objectFirst = call.desc.startsWith("(Ljava/lang/Object;");
        int args = Type.getArgumentTypes(call.desc).length;
        if ((o.equals("jakarta/ws/rs/core/Response$ResponseBuilder") || o.equals("org/jboss/resteasy/reactive/RestResponse$ResponseBuilder"))
                && n.equals("entity")) {
            return new Need(Kind.VALUE, 0, "response entity");
        }
        if ((o.equals("jakarta/ws/rs/core/Response") || o.equals("org/jboss/resteasy/reactive/RestResponse"))
                && Set.of("ok", "accepted", "status", "notModified").contains(n) && objectFirst) {
            return new Need(Kind.VALUE, 0, "response entity");
        }
        if (o.startsWith("com/fasterxml/jackson/databind/Object")) {
            if (Set.of("writeValueAsString", "writeValueAsBytes", "valueToTree").contains(n) && objectFirst) {
                return new Need(Kind.VALUE, 0, "written by Jackson");
            }
            if (n.equals("writeValue") && call.desc.contains("Ljava/lang/Object;)")) {
                return new Need(Kind.VALUE, args - 1, "written by Jackson");
            }
            if (Set.of("readValue", "convertValue", "treeToValue").contains(n) && call.desc.contains("Ljava/lang/Class;)")) {
                return new Need(Kind.CLASS, args - 1, "read by Jackson");
            }
            if (n.equals("convertValue") && objectFirst) {
                return new Need(Kind.VALUE, 0, "converted by Jackson");
            }
        }
        if (o.equals("io/vertx/core/json/Json") || o.equals("io/vertx/core/json/JsonObject")) {
            if (Set.of("encode", "encodePrettily", "mapFrom").contains(n) && objectFirst) {
                return new Need(Kind.VALUE, 0, "written by Jackson (Vert.x)");
            }
            if ((n.equals("decodeValue") || n.equals("mapTo")) && call.desc.contains("Ljava/lang/Class;)")) {
                return new Need(Kind.CLASS, args - 1, "read by Jackson (Vert.x)");
            }
        }
        if (o.equals("jakarta/ws/rs/core/Response") && n.equals("readEntity") && call.desc.startsWith("(Ljava/lang/Class;")) {
            return new Need(Kind.CLASS, 0, "read from a response");
        }
        if ((o.equals("java/lang/Class") || o.equals("java/lang/ClassLoader"))
                && Set.of("getResource", "getResourceAsStream", "getResources", "getSystemResource",
                        "getSystemResourceAsStream").contains(n) && call.desc.startsWith("(Ljava/lang/String;")) {
            return new Need(Kind.RESOURCE, 0, "resource");
        }
        return null;
    }

    /** The static types of the value an instruction leaves on the stack. */
    private Set<String> valueTypes(ClassNode c, MethodNode m, Frame<SourceValue>[] frames, AbstractInsnNode insn, int depth) {
        Set<String> out = new LinkedHashSet<>();
        if (depth > 8) {
            return out;
        }
        switch (insn) {
            case TypeInsnNode t when t.getOpcode() == Opcodes.NEW || t.getOpcode() == Opcodes.CHECKCAST ->
                    out.addAll(typesIn(Type.getObjectType(t.desc).getDescriptor()));
            case MethodInsnNode call -> {
                out.addAll(typesIn(returnSignature(call)));
                if (COLLECTION_FACTORIES.contains(call.owner) && (call.getOpcode() == Opcodes.INVOKESTATIC)) {
                    // Map.of("shortLines", lines): the collection's JSON is its elements' JSON.
                    Frame<SourceValue> frame = frames[m.instructions.indexOf(call)];
                    int args = Type.getArgumentTypes(call.desc).length;
                    for (int i = 0; frame != null && i < args; i++) {
                        for (AbstractInsnNode s : frame.getStack(frame.getStackSize() - args + i).insns) {
                            out.addAll(valueTypes(c, m, frames, s, depth + 1));
                        }
                    }
                }
            }
            case InvokeDynamicInsnNode indy -> out.addAll(typesIn(Type.getReturnType(indy.desc).getDescriptor()));
            case FieldInsnNode f -> out.addAll(typesIn(fieldSignature(f)));
            case VarInsnNode v when v.getOpcode() == Opcodes.ALOAD -> {
                LocalVariableNode local = local(m, v.var, m.instructions.indexOf(v));
                if (local != null) {
                    out.addAll(typesIn(local.signature != null ? local.signature : local.desc));
                } else if (v.var == 0 && (m.access & Opcodes.ACC_STATIC) == 0) {
                    out.add(c.name);
                } else {
                    // No debug information: follow the stores into this slot.
                    Frame<SourceValue> frame = frames[m.instructions.indexOf(v)];
                    for (AbstractInsnNode store : frame.getLocal(v.var).insns) {
                        Frame<SourceValue> before = frames[m.instructions.indexOf(store)];
                        if (before != null && store.getOpcode() == Opcodes.ASTORE) {
                            for (AbstractInsnNode s : before.getStack(before.getStackSize() - 1).insns) {
                                out.addAll(valueTypes(c, m, frames, s, depth + 1));
                            }
                        }
                    }
                }
            }
            case InsnNode dup when dup.getOpcode() == Opcodes.DUP -> {
                // new X(..) passed on directly: the value is the NEW that DUP copied.
                Frame<SourceValue> before = frames[m.instructions.indexOf(dup)];
                if (before != null) {
                    for (AbstractInsnNode s : before.getStack(before.getStackSize() - 1).insns) {
                        out.addAll(valueTypes(c, m, frames, s, depth + 1));
                    }
                }
            }
            default -> {
            }
        }
        return out;
    }

    /** The return part of a called method's generic signature when it is the project's own, else its descriptor. */
    private String returnSignature(MethodInsnNode call) {
        ClassNode owner = classes.get(call.owner);
        if (owner != null) {
            for (MethodNode target : owner.methods) {
                if (target.name.equals(call.name) && target.desc.equals(call.desc) && target.signature != null) {
                    return returnPart(target.signature);
                }
            }
        }
        return Type.getReturnType(call.desc).getDescriptor();
    }

    private String fieldSignature(FieldInsnNode f) {
        ClassNode owner = classes.get(f.owner);
        if (owner != null) {
            for (FieldNode field : owner.fields) {
                if (field.name.equals(f.name) && field.signature != null) {
                    return field.signature;
                }
            }
        }
        return f.desc;
    }

    private static LocalVariableNode local(MethodNode m, int slot, int at) {
        if (m.localVariables == null) {
            return null;
        }
        for (LocalVariableNode l : m.localVariables) {
            if (l.index == slot && index(m, l.start) <= at && at <= index(m, l.end)) {
                return l;
            }
        }
        return null;
    }

    private static int index(MethodNode m, LabelNode label) {
        return m.instructions.indexOf(label);
    }

    private static Optional<String> resourceName(AbstractInsnNode source, String owner, boolean relativeToClass) {
        String name = null;
        if (source instanceof LdcInsnNode ldc && ldc.cst instanceof String s) {
            name = s;
        } else if (source instanceof InvokeDynamicInsnNode indy && indy.name.equals("makeConcatWithConstants")
                && indy.bsmArgs.length > 0 && indy.bsmArgs[0] instanceof String recipe) {
            int firstArgument = recipe.indexOf('\u0001');
            name = (firstArgument < 0 ? recipe : recipe.substring(0, firstArgument)) + "*";
        }
        if (name == null) {
            return Optional.empty();
        }
        if (relativeToClass && !name.startsWith("/")) {
            name = owner.substring(0, owner.lastIndexOf('/') + 1) + name;
        }
        return Optional.of(name.startsWith("/") ? name.substring(1) : name);
    }

    private void root(String type, String reason) {
        if (isProject(type) && classes.containsKey(type)) {
            jsonTypes.computeIfAbsent(type, k -> new LinkedHashSet<>()).add(reason);
        }
    }

    private boolean isProject(String internalName) {
        return internalName.startsWith(projectPackage);
    }

    private boolean isBody(MethodNode m, int parameter) {
        List<AnnotationNode> visible = m.visibleParameterAnnotations == null || parameter >= m.visibleParameterAnnotations.length
                ? null : m.visibleParameterAnnotations[parameter];
        return annotations(visible).stream().noneMatch(a -> NOT_BODY.contains(simpleDescriptor(a)));
    }

    private static boolean hasJacksonAnnotation(ClassNode c) {
        List<List<AnnotationNode>> all = new ArrayList<>();
        all.add(c.visibleAnnotations);
        c.fields.forEach(f -> all.add(f.visibleAnnotations));
        c.methods.forEach(m -> all.add(m.visibleAnnotations));
        if (c.recordComponents != null) {
            c.recordComponents.forEach(rc -> all.add(rc.visibleAnnotations));
        }
        return all.stream().flatMap(l -> annotations(l).stream())
                .anyMatch(d -> d.startsWith("Lcom/fasterxml/jackson/annotation/") || d.startsWith("Lcom/fasterxml/jackson/databind/annotation/"));
    }

    private static boolean annotated(List<AnnotationNode> annotations, String descriptor) {
        return annotations(annotations).contains(descriptor);
    }

    private static List<String> annotations(List<AnnotationNode> annotations) {
        return annotations == null ? List.of() : annotations.stream().map(a -> a.desc).toList();
    }

    private static String simpleDescriptor(String descriptor) {
        String s = descriptor.substring(0, descriptor.length() - 1);
        return s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('$')) + 1);
    }

    private static String returnPart(String methodSignature) {
        return methodSignature.substring(methodSignature.lastIndexOf(')') + 1);
    }

    /** Every class named in a descriptor or generic signature (array element types and type arguments included). */
    static Set<String> typesIn(String descriptorOrSignature) {
        Set<String> out = new LinkedHashSet<>();
        Matcher matcher = TYPE_IN_SIGNATURE.matcher(descriptorOrSignature);
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }

    private static String simple(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }
}
