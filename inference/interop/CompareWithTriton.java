// Wire-compatibility check: every message, field and RPC declared in PrefStream's .proto files
// must exist in Triton's with the same full name, field number, type and label (PrefStream
// declares a subset; Triton may have more). Compares two descriptor sets made by protoc.
import java.io.FileInputStream;
import java.util.HashMap;
import java.util.Map;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;

public class CompareWithTriton {
    public static void main(String[] args) throws Exception {
        Map<String, String> triton = index(args[0]);
        Map<String, String> ours = index(args[1]);
        int problems = 0;
        for (Map.Entry<String, String> e : ours.entrySet()) {
            String theirs = triton.get(e.getKey());
            if (!e.getValue().equals(theirs)) {
                problems++;
                System.out.println("MISMATCH " + e.getKey() + ": ours=" + e.getValue() + " triton=" + theirs);
            }
        }
        System.out.println("checked " + ours.size() + " declarations (messages, fields, enum values, RPCs) against "
            + "Triton's " + triton.size() + ": " + problems + " mismatches");
        System.exit(problems == 0 ? 0 : 1);
    }

    private static Map<String, String> index(String descriptorSet) throws Exception {
        Map<String, String> index = new HashMap<>();
        try (FileInputStream in = new FileInputStream(descriptorSet)) {
            for (FileDescriptorProto file : FileDescriptorSet.parseFrom(in).getFileList()) {
                String pkg = file.getPackage();
                file.getMessageTypeList().forEach(m -> message(pkg, m, index));
                file.getEnumTypeList().forEach(en -> enumeration(pkg, en, index));
                for (ServiceDescriptorProto service : file.getServiceList()) {
                    for (MethodDescriptorProto method : service.getMethodList()) {
                        index.put("rpc " + pkg + "." + service.getName() + "/" + method.getName(), method.getInputType()
                            + (method.getClientStreaming() ? " stream" : "") + " -> " + method.getOutputType()
                            + (method.getServerStreaming() ? " stream" : ""));
                    }
                }
            }
        }
        return index;
    }

    private static void message(String scope, DescriptorProto message, Map<String, String> index) {
        String name = scope + "." + message.getName();
        index.put("message " + name, "message");
        for (FieldDescriptorProto field : message.getFieldList()) {
            index.put("field " + name + "." + field.getName(), "#" + field.getNumber() + " " + field.getLabel() + " "
                + field.getType() + " " + field.getTypeName()
                + (field.hasOneofIndex() ? " oneof " + message.getOneofDecl(field.getOneofIndex()).getName() : ""));
        }
        message.getNestedTypeList().forEach(m -> message(name, m, index));
        message.getEnumTypeList().forEach(en -> enumeration(name, en, index));
    }

    private static void enumeration(String scope, EnumDescriptorProto en, Map<String, String> index) {
        en.getValueList().forEach(v -> index.put("enum " + scope + "." + en.getName() + "." + v.getName(), "=" + v.getNumber()));
    }
}
