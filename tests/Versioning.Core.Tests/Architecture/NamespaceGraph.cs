using Mono.Cecil;

namespace Versioning.Core.Tests.Architecture;

/// <summary>
/// The namespace dependency graph of compiled assemblies (A1), read with Mono.Cecil: an edge A → B when a type declared
/// in namespace A refers to a type of namespace B anywhere — base type, interfaces, fields, properties, events, method
/// signatures, generic constraints, custom attributes (including <c>typeof</c> arguments), locals and every type,
/// method or field an instruction names. Nested and compiler-generated types count for the namespace of their
/// outermost declaring type. Each edge keeps one example ("Type → Type") for failure messages.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    /// <summary>The namespaces declared by the assemblies read.</summary>
    public SortedSet<string> Declared { get; } = new(StringComparer.Ordinal);

    /// <summary>The namespaces each namespace refers to, with one example reference each (self edges left out).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    /// <summary>Reads the given assemblies.</summary>
    public static NamespaceGraph Read(IEnumerable<string> assemblyPaths)
    {
        var graph = new NamespaceGraph();
        foreach (var path in assemblyPaths)
        {
            using var module = ModuleDefinition.ReadModule(path);
            foreach (var type in module.Types)
            {
                graph.Visit(type, OwnNamespace(type));
            }
        }

        return graph;
    }

    /// <summary>The namespaces that <paramref name="from"/> refers to and that the assemblies read declare.</summary>
    public IEnumerable<string> OwnTargets(string from)
        => _edges.TryGetValue(from, out var targets) ? targets.Keys.Where(Declared.Contains) : [];

    /// <summary>The graph between the declared namespaces only.</summary>
    public Dictionary<string, IReadOnlyCollection<string>> OwnGraph()
        => Declared.ToDictionary(ns => ns, ns => (IReadOnlyCollection<string>)OwnTargets(ns).ToList(), StringComparer.Ordinal);

    /// <summary>
    /// Every cycle found by a depth-first search of <paramref name="graph"/>: each back edge u → v closes the cycle
    /// v → … → u → v along the search path; each cycle is given as its nodes with the first repeated at the end.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyDictionary<string, IReadOnlyCollection<string>> graph)
    {
        var cycles = new List<IReadOnlyList<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // absent: unvisited, 1: on the path, 2: done
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            Dfs(start);
        }

        return cycles;

        void Dfs(string node)
        {
            if (state.ContainsKey(node))
            {
                return;
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in (graph.TryGetValue(node, out var targets) ? targets : []).Order(StringComparer.Ordinal))
            {
                if (next == node)
                {
                    continue;
                }

                if (state.TryGetValue(next, out var s) && s == 1)
                {
                    var cycle = path.Skip(path.IndexOf(next)).ToList();
                    cycle.Add(next);
                    cycles.Add(cycle);
                }
                else
                {
                    Dfs(next);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
        }
    }

    /// <summary>Formats a cycle as "A → B → A", with the example reference of each edge.</summary>
    public string Describe(IReadOnlyList<string> cycle)
        => string.Join(Environment.NewLine, cycle.Zip(cycle.Skip(1), (a, b) => $"  {a} → {b}   (e.g. {_edges[a][b]})"));

    private static string OwnNamespace(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private void Visit(TypeDefinition type, string ns)
    {
        if (ns.Length == 0)
        {
            return; // <Module>, <PrivateImplementationDetails>
        }

        Declared.Add(ns);
        var from = type.FullName;
        AddType(ns, from, type.BaseType);
        foreach (var i in type.Interfaces)
        {
            AddType(ns, from, i.InterfaceType);
        }

        AddAttributes(ns, from, type.CustomAttributes);
        AddGenericParameters(ns, from, type.GenericParameters);
        foreach (var field in type.Fields)
        {
            AddType(ns, from, field.FieldType);
            AddAttributes(ns, from, field.CustomAttributes);
        }

        foreach (var property in type.Properties)
        {
            AddType(ns, from, property.PropertyType);
            AddAttributes(ns, from, property.CustomAttributes);
        }

        foreach (var e in type.Events)
        {
            AddType(ns, from, e.EventType);
        }

        foreach (var method in type.Methods)
        {
            AddMethod(ns, from, method);
        }

        foreach (var nested in type.NestedTypes)
        {
            Visit(nested, ns);
        }
    }

    private void AddMethod(string ns, string from, MethodDefinition method)
    {
        AddType(ns, from, method.ReturnType);
        AddAttributes(ns, from, method.CustomAttributes);
        AddAttributes(ns, from, method.MethodReturnType.CustomAttributes);
        AddGenericParameters(ns, from, method.GenericParameters);
        foreach (var p in method.Parameters)
        {
            AddType(ns, from, p.ParameterType);
            AddAttributes(ns, from, p.CustomAttributes);
        }

        if (!method.HasBody)
        {
            return;
        }

        foreach (var local in method.Body.Variables)
        {
            AddType(ns, from, local.VariableType);
        }

        foreach (var handler in method.Body.ExceptionHandlers)
        {
            AddType(ns, from, handler.CatchType);
        }

        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference t:
                    AddType(ns, from, t);
                    break;
                case MethodReference m:
                    AddMethodReference(ns, from, m);
                    break;
                case FieldReference f:
                    AddType(ns, from, f.DeclaringType);
                    AddType(ns, from, f.FieldType);
                    break;
                case CallSite site:
                    AddType(ns, from, site.ReturnType);
                    foreach (var p in site.Parameters)
                    {
                        AddType(ns, from, p.ParameterType);
                    }

                    break;
            }
        }

    }

    private void AddMethodReference(string ns, string from, MethodReference method)
    {
        AddType(ns, from, method.DeclaringType);
        AddType(ns, from, method.ReturnType);
        foreach (var p in method.Parameters)
        {
            AddType(ns, from, p.ParameterType);
        }

        if (method is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
            {
                AddType(ns, from, argument);
            }
        }
    }

    private void AddGenericParameters(string ns, string from, IEnumerable<GenericParameter> parameters)
    {
        foreach (var p in parameters)
        {
            foreach (var c in p.Constraints)
            {
                AddType(ns, from, c.ConstraintType);
            }
        }
    }

    private void AddAttributes(string ns, string from, IEnumerable<CustomAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            AddType(ns, from, attribute.AttributeType);
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.Properties.Select(p => p.Argument)).Concat(attribute.Fields.Select(f => f.Argument)))
            {
                AddType(ns, from, argument.Type);
                if (argument.Value is TypeReference typeOf)
                {
                    AddType(ns, from, typeOf);
                }
            }
        }
    }

    private void AddType(string ns, string from, TypeReference? type)
    {
        switch (type)
        {
            case null:
            case GenericParameter:
                return;
            case GenericInstanceType generic:
                AddType(ns, from, generic.ElementType);
                foreach (var argument in generic.GenericArguments)
                {
                    AddType(ns, from, argument);
                }

                return;
            case FunctionPointerType pointer:
                AddType(ns, from, pointer.ReturnType);
                foreach (var p in pointer.Parameters)
                {
                    AddType(ns, from, p.ParameterType);
                }

                return;
            case TypeSpecification specification: // arrays, by-ref, pointers, modifiers
                AddType(ns, from, specification.ElementType);
                return;
        }

        var outer = type;
        while (outer.DeclaringType is not null)
        {
            outer = outer.DeclaringType;
        }

        var target = outer.Namespace;
        if (target.Length == 0 || target == ns)
        {
            return;
        }

        if (!_edges.TryGetValue(ns, out var targets))
        {
            _edges[ns] = targets = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        targets.TryAdd(target, $"{from} → {type.FullName}");
    }
}
