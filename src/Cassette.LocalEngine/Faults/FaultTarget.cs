namespace Cassette.LocalEngine.Faults;

/// <summary>Endpoint metadata naming the route a fault rule's "target" refers to.</summary>
public sealed record FaultTarget(string Name);

/// <summary>A fired rule that the endpoint itself carries out (stalls, truncations, replaced or patched bodies).</summary>
public sealed record ActiveFault(FaultRule Rule);

public static class FaultTargetExtensions
{
    public static TBuilder WithFaultTarget<TBuilder>(this TBuilder builder, string target) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FaultTarget(target));

    /// <summary>The rule of the given kind that fired for this call, if any.</summary>
    public static FaultRule? ActiveFault(this HttpContext context, string kind) =>
        context.Features.Get<ActiveFault>()?.Rule is { } rule && rule.Kind == kind ? rule : null;
}
