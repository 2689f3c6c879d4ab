using LlmSuite.AppHost.Resources;

namespace LlmSuite.AppHost.Hosting;

/// <summary>Fluent configuration of one resource, mirroring Aspire's <c>IResourceBuilder&lt;T&gt;</c> extensions.</summary>
public sealed class ResourceBuilder<T>(T resource) where T : Resource
{
    /// <summary>The resource being configured.</summary>
    public T Resource { get; } = resource;

    /// <summary>Runs <paramref name="count"/> processes; each gets its own port and <c>services__name__http__i</c> entry.</summary>
    public ResourceBuilder<T> WithReplicas(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Resource.Replicas = count;
        return this;
    }

    /// <summary>Passes the other resource's endpoints (<c>services__…</c>) or connection string (<c>ConnectionStrings__…</c>).</summary>
    public ResourceBuilder<T> WithReference<TOther>(ResourceBuilder<TOther>? other) where TOther : Resource
    {
        if (other is not null)
        {
            Resource.References.Add(other.Resource);
        }
        return this;
    }

    /// <summary>Starts this resource only once <paramref name="other"/> is healthy.</summary>
    public ResourceBuilder<T> WaitFor<TOther>(ResourceBuilder<TOther>? other) where TOther : Resource
    {
        if (other is not null)
        {
            Resource.WaitsFor.Add(other.Resource);
        }
        return this;
    }

    /// <summary>Sets an environment variable for every replica.</summary>
    public ResourceBuilder<T> WithEnvironment(string name, string? value)
    {
        if (value is not null)
        {
            Resource.Environment[name] = value;
        }
        return this;
    }

    /// <summary>Appends command-line arguments.</summary>
    public ResourceBuilder<T> WithArgs(params string[] args)
    {
        Resource.Args.AddRange(args);
        return this;
    }

    /// <summary>Listens on a fixed port (0 or null = a free port), like Aspire's <c>WithHttpEndpoint(port: …)</c>.</summary>
    public ResourceBuilder<T> WithHttpPort(int? port)
    {
        if (port is > 0 && Resource.Replicas > 1)
        {
            throw new InvalidOperationException($"'{Resource.Name}' has {Resource.Replicas} replicas; a fixed port needs exactly one");
        }
        Resource.FixedPort = port is > 0 ? port : null;
        return this;
    }

    /// <summary>Sets the readiness path of a project resource.</summary>
    public ResourceBuilder<T> WithHttpHealthCheck(string path)
    {
        if (Resource is ProjectResource project)
        {
            project.HealthPath = path;
        }
        return this;
    }
}
